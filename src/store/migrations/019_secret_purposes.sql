-- Migrations 014 ("this wasn't me" links) and 015 (contact codes) each widened the purposes of
-- one_time_secrets from 009's list; written side by side, the later one would drop the other's.
-- This is their union.
ALTER TABLE one_time_secrets DROP CONSTRAINT one_time_secrets_purpose_check;
ALTER TABLE one_time_secrets ADD CONSTRAINT one_time_secrets_purpose_check CHECK (purpose IN
  ('password_reset_link', 'password_reset_code', 'password_second_factor_code', 'pin_change_code', 'pin_recovery_code',
   'wasnt_me_link', 'verify_email', 'verify_mobile', 'change_email', 'change_mobile', 'change_pec'));
