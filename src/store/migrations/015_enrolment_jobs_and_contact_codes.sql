-- Administration pages (issue 12): their web sessions and the CSV uploads they turn into
-- background jobs; contact codes move onto the one-time-secret module.

-- An administration signs in to its pages with its token; the token is exchanged at once for
-- this short-lived session (only the SHA-256 of its id is stored), so the token never rides
-- in a URL or a cookie.
CREATE TABLE administration_sessions (
  id_hash text PRIMARY KEY,
  administration_id uuid NOT NULL REFERENCES administrations (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL
);
CREATE INDEX administration_sessions_administration ON administration_sessions (administration_id);

-- An uploaded CSV, processed in the background: the file waits on disk (file_path) until a
-- worker takes it; progress is the share of its bytes read. The summary and the rejection
-- report stay with the job for the administration to read and download.
CREATE TABLE enrolment_jobs (
  id uuid PRIMARY KEY,
  administration_id uuid NOT NULL REFERENCES administrations (id) ON DELETE CASCADE,
  state text NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
  file_name text NOT NULL,
  file_path text,
  file_bytes bigint NOT NULL,
  bytes_read bigint NOT NULL DEFAULT 0,
  rows_read integer NOT NULL DEFAULT 0,
  created integer NOT NULL DEFAULT 0,
  updated integer NOT NULL DEFAULT 0,
  unchanged integer NOT NULL DEFAULT 0,
  rejected jsonb NOT NULL DEFAULT '[]',
  failure text,
  created_at timestamptz NOT NULL,
  started_at timestamptz,
  -- Last sign of life of the worker: a job silent for long was interrupted (a restart).
  progress_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX enrolment_jobs_administration ON enrolment_jobs (administration_id, created_at DESC);
CREATE INDEX enrolment_jobs_waiting ON enrolment_jobs (created_at) WHERE state IN ('queued', 'running');

-- A contact being proved: what the code is for and where it went (for a change, the new
-- address). Its codes are one-time secrets owning this row as their flow, so attempts,
-- expiry, single use and voiding are the one module's (SECURITY.md S5–S10).
CREATE TABLE contact_proofs (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('verify_email', 'verify_mobile', 'change_email', 'change_mobile', 'change_pec')),
  target text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX contact_proofs_account ON contact_proofs (account_id, purpose, created_at DESC);

ALTER TABLE one_time_secrets DROP CONSTRAINT one_time_secrets_purpose_check;
ALTER TABLE one_time_secrets ADD CONSTRAINT one_time_secrets_purpose_check CHECK (purpose IN
  ('password_reset_link', 'password_reset_code', 'password_second_factor_code', 'pin_change_code', 'pin_recovery_code',
   'verify_email', 'verify_mobile', 'change_email', 'change_mobile', 'change_pec'));

-- Codes outstanding in the old table cannot be carried over (their HMAC key and binding
-- differ): a citizen half-way asks for a new one.
DROP TABLE contact_verification_codes;
