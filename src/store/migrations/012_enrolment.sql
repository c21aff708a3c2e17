-- Enrolment by administrations (NoiPA style), profile completion and contact changes.

-- A worker may belong to several administrations; each sees only its own rows. The row keeps
-- what the administration declared, so a re-sent file is recognised as unchanged.
CREATE TABLE administration_workers (
  administration_id uuid NOT NULL REFERENCES administrations (id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  first_name text NOT NULL,
  last_name text NOT NULL,
  email text NOT NULL,
  mobile text NOT NULL,
  birth_date date,
  enrolled_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (administration_id, account_id)
);
CREATE INDEX administration_workers_account ON administration_workers (account_id);

-- The security question: the answer is stored as an argon2id hash of its normalised form.
ALTER TABLE accounts ADD COLUMN security_question text;
ALTER TABLE accounts ADD COLUMN security_answer_hash text;
ALTER TABLE accounts ADD COLUMN security_question_set_at timestamptz;

-- Codes proving a contact: `purpose` says what confirming it does, `target` is the address the
-- code went to (for a change, the new one). Codes are stored as keyed HMACs (a 6-digit code
-- hashed without a key would be reversed by trying the million candidates), single use,
-- counted, expiring, and voided when a newer code for the same purpose is issued.
CREATE TABLE contact_verification_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('verify_email', 'verify_mobile', 'change_email', 'change_mobile', 'change_pec')),
  target text NOT NULL,
  code_hash text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  voided_at timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX contact_verification_codes_live ON contact_verification_codes (account_id, purpose)
  WHERE used_at IS NULL AND voided_at IS NULL;
