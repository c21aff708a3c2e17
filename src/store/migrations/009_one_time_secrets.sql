-- One table for every one-time secret, links and codes alike (ARCHITECTURE.md "One-time
-- secrets"; S5–S10 of SECURITY.md). A row belongs to a purpose, an account (NULL for the
-- requests that matched nothing and only walk the same path, S2) and the flow row that owns
-- it (recovery_flows.id, pin_changes.id), so "void every outstanding secret of the account"
-- is one statement. secret_hash is SHA-256 of a >=128-bit link token or a keyed HMAC-SHA-256
-- of a short numeric code (CODE_HMAC_KEYS): a stolen table alone gives up neither.
CREATE TABLE one_time_secrets (
  id uuid PRIMARY KEY,
  purpose text NOT NULL CHECK (purpose IN
    ('password_reset_link', 'password_reset_code', 'password_second_factor_code', 'pin_change_code', 'pin_recovery_code')),
  account_id uuid REFERENCES accounts (id) ON DELETE CASCADE,
  flow_id uuid,
  secret_hash text NOT NULL UNIQUE,
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL CHECK (max_attempts >= 1),
  expires_at timestamptz NOT NULL,
  consumed_at timestamptz,
  voided_at timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX one_time_secrets_outstanding ON one_time_secrets (account_id, purpose) WHERE consumed_at IS NULL AND voided_at IS NULL;
CREATE INDEX one_time_secrets_flow ON one_time_secrets (flow_id, purpose);

-- The secrets that lived in per-table columns move here. Links and codes outstanding at the
-- upgrade cannot be carried over (their hashes were argon2id), so their flows end: a citizen
-- who was half-way asks again.
UPDATE recovery_flows SET state = 'dead' WHERE state IN ('awaiting_link', 'awaiting_code', 'code_verified');
UPDATE pin_changes SET state = 'dead' WHERE state = 'awaiting_confirmation';
DROP INDEX IF EXISTS recovery_flows_open;
ALTER TABLE recovery_flows DROP COLUMN code_hash, DROP COLUMN token_hash, DROP COLUMN token_expires_at, DROP COLUMN token_used_at,
  DROP COLUMN attempts;
CREATE INDEX recovery_flows_open ON recovery_flows (account_id) WHERE state IN ('awaiting_link', 'awaiting_code', 'code_verified');
ALTER TABLE pin_changes DROP COLUMN code_hash, DROP COLUMN attempts, ADD COLUMN needs_code boolean NOT NULL DEFAULT false;
DROP TABLE pin_recovery_codes;
