-- Accounts, credentials, sessions, sign-in guards, API tokens and the audit trail.
-- Columns holding secrets are named for what is stored: *_hash.

CREATE TABLE accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  codice_fiscale text NOT NULL UNIQUE,
  first_name text NOT NULL,
  last_name text NOT NULL,
  birth_date date,
  email text,
  email_verified boolean NOT NULL DEFAULT false,
  mobile text,
  mobile_verified boolean NOT NULL DEFAULT false,
  pec text,
  language text NOT NULL DEFAULT 'it' CHECK (language IN ('it', 'en', 'ro')),
  password_hash text,
  password_changed_at timestamptz,
  password_temporary_until timestamptz,
  pin_hash text,
  pin_state text NOT NULL DEFAULT 'none' CHECK (pin_state IN ('none', 'initial', 'active', 'revoked')),
  pending_actions text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE password_history (
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX password_history_account ON password_history (account_id, created_at DESC);

-- Keyed by the normalised codice fiscale, not the account, so unknown codes lock alike (S3).
CREATE TABLE sign_in_guards (
  subject text PRIMARY KEY,
  failures integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  lock_count integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL
);

CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  auth_method text NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  ip text,
  user_agent text
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE administrations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE operators (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  codice_fiscale text NOT NULL UNIQUE,
  first_name text NOT NULL,
  last_name text NOT NULL,
  email text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('platform_admin', 'administration', 'operator')),
  subject_id uuid,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz
);

-- Append-only and hash-chained (S31): each row's hash covers its content and the previous hash.
CREATE TABLE audit_events (
  seq bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  type text NOT NULL,
  actor text NOT NULL,
  account_id uuid,
  ip text,
  user_agent text,
  outcome text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_events_account ON audit_events (account_id, seq DESC);

CREATE TABLE audit_chain_head (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  hash text NOT NULL
);
INSERT INTO audit_chain_head (hash) VALUES ('genesis');

CREATE FUNCTION audit_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_are_append_only();
