-- Issue 10: when SPID/CIE assert a name or date of birth other than the account's, the
-- account is never changed; the disagreement waits here for an operator. A row (not only the
-- append-only audit event) because it has a state (open → reviewed) and holds the asserted
-- personal data, which the hash-chained audit trail must not keep forever. Repeated sign-ins
-- with the same assertion update one open row instead of piling up.
CREATE TABLE identity_mismatches (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  method text NOT NULL CHECK (method IN ('spid', 'cie')),
  provider text NOT NULL,
  fields text NOT NULL, -- comma-separated: firstName, lastName, birthDate
  asserted_first_name text NOT NULL,
  asserted_last_name text NOT NULL,
  asserted_birth_date text NOT NULL, -- YYYY-MM-DD as asserted
  registered_first_name text NOT NULL,
  registered_last_name text NOT NULL,
  registered_birth_date date,
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  occurrences integer NOT NULL DEFAULT 1,
  reviewed_at timestamptz,
  reviewed_by uuid REFERENCES operators (id),
  review_note text
);
CREATE UNIQUE INDEX identity_mismatches_one_open
  ON identity_mismatches (account_id, provider, asserted_first_name, asserted_last_name, asserted_birth_date) WHERE reviewed_at IS NULL;
CREATE INDEX identity_mismatches_open ON identity_mismatches (last_seen_at DESC) WHERE reviewed_at IS NULL;
