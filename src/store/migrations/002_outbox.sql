-- Outgoing messages, written in the same transaction as the change that causes them.
CREATE TABLE outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel text NOT NULL CHECK (channel IN ('email', 'sms', 'pec')),
  recipient text NOT NULL,
  kind text NOT NULL,
  language text NOT NULL DEFAULT 'it',
  subject text,
  body_text text,
  body_html text,
  holds_secret boolean NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  give_up_at timestamptz NOT NULL,
  provider_id text,
  last_error text,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  body_erased_at timestamptz
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';

-- Development only: a copy of every message as delivered, readable at /dev/outbox.
CREATE TABLE dev_mailbox (
  seq bigserial PRIMARY KEY,
  message_id uuid NOT NULL,
  channel text NOT NULL,
  recipient text NOT NULL,
  kind text NOT NULL,
  subject text,
  body_text text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX dev_mailbox_recipient ON dev_mailbox (recipient, seq);
