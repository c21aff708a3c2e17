-- PIN changes (first access and later changes) and PIN recovery codes.
CREATE TABLE pin_changes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  session_id_hash text NOT NULL,
  proposed_pin_hash text NOT NULL,
  code_hash text,
  attempts integer NOT NULL DEFAULT 0,
  state text NOT NULL CHECK (state IN ('awaiting_confirmation', 'completed', 'dead')),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX pin_changes_account ON pin_changes (account_id);

CREATE TABLE pin_recovery_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  voided_at timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX pin_recovery_codes_account ON pin_recovery_codes (account_id);
