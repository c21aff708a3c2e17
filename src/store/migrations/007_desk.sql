-- The assistance desk: citizens' requests with their identity document, operator sign-in,
-- offices and appointments.
ALTER TABLE operators ADD COLUMN password_hash text;

CREATE TABLE operator_sessions (
  id_hash text PRIMARY KEY,
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL
);

CREATE TABLE assistance_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  codice_fiscale text NOT NULL,
  email text NOT NULL,
  category text NOT NULL CHECK (category IN ('password_reset', 'pin_request', 'first_access', 'other')),
  message text NOT NULL,
  language text NOT NULL,
  status text NOT NULL CHECK (status IN ('unconfirmed', 'confirmed', 'resolved', 'rejected', 'expired')),
  confirm_token_hash text NOT NULL UNIQUE,
  confirm_expires_at timestamptz NOT NULL,
  document bytea,
  document_media_type text NOT NULL,
  document_name text NOT NULL,
  document_deleted_at timestamptz,
  created_at timestamptz NOT NULL,
  confirmed_at timestamptz,
  due_by date,
  closed_at timestamptz,
  outcome text,
  resolution_note text,
  operator_id uuid REFERENCES operators (id)
);
CREATE INDEX assistance_requests_queue ON assistance_requests (status, due_by);

CREATE TABLE offices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  address text NOT NULL,
  opens_at time NOT NULL,
  closes_at time NOT NULL,
  slot_minutes integer NOT NULL CHECK (slot_minutes BETWEEN 5 AND 240),
  created_at timestamptz NOT NULL
);

CREATE TABLE appointments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  office_id uuid NOT NULL REFERENCES offices (id),
  slot_start timestamptz NOT NULL,
  codice_fiscale text NOT NULL,
  email text NOT NULL,
  manage_token_hash text NOT NULL UNIQUE,
  status text NOT NULL CHECK (status IN ('booked', 'cancelled')),
  created_at timestamptz NOT NULL,
  cancelled_at timestamptz
);
-- One booking per slot, enforced by the database even under concurrency.
CREATE UNIQUE INDEX appointments_one_per_slot ON appointments (office_id, slot_start) WHERE status = 'booked';
