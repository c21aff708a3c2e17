-- Issue 11: the personal area lists the citizen's sessions, Varco notices sign-ins from a
-- new device, and every notice carries a "this wasn't me" link.
--
-- A session gets a public id (the list and the "end this session" form name it; the id_hash
-- of the cookie never leaves the server) and the hash of the device it was opened from.
-- last_seen_at, written at most once a minute, is the session's last use.
ALTER TABLE sessions ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
CREATE UNIQUE INDEX sessions_public_id ON sessions (public_id);
ALTER TABLE sessions ADD COLUMN device_hash text;

-- The devices (browsers) an account signed in from: the SHA-256 of a 256-bit device cookie.
-- A sign-in from a browser not listed here sends the new-device notice.
CREATE TABLE known_devices (
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  device_hash text NOT NULL,
  user_agent text,
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  PRIMARY KEY (account_id, device_hash)
);

-- "This wasn't me": a link in every security notice, a one-time secret like the others.
ALTER TABLE one_time_secrets DROP CONSTRAINT one_time_secrets_purpose_check;
ALTER TABLE one_time_secrets ADD CONSTRAINT one_time_secrets_purpose_check CHECK (purpose IN
  ('password_reset_link', 'password_reset_code', 'password_second_factor_code', 'pin_change_code', 'pin_recovery_code',
   'wasnt_me_link'));
