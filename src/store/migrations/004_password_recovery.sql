-- Self-service password recovery flows ("Password dimenticata"), one row per request.
-- account_id is NULL when nothing matched: such flows exist so that every answer and every
-- later step looks the same (S2).
CREATE TABLE recovery_flows (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid REFERENCES accounts (id) ON DELETE CASCADE,
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  state text NOT NULL,
  code_hash text,
  needs_code boolean NOT NULL DEFAULT false,
  token_hash text UNIQUE,
  token_expires_at timestamptz,
  token_used_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX recovery_flows_open ON recovery_flows (account_id) WHERE state IN ('awaiting_link', 'awaiting_code', 'code_verified');
