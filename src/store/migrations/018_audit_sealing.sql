-- Issue 14: the audit chain is sealed off the request path. A request appends its event
-- without touching the chain head; a sealer later takes the head lock once per batch, gives
-- each unsealed event its place in the chain (chain_seq) and its prev_hash/hash. The only
-- change the append-only trigger lets through is that sealing, once, content untouched.
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change;
ALTER TABLE audit_events ADD COLUMN chain_seq bigint;
UPDATE audit_events SET chain_seq = seq;
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change;
ALTER TABLE audit_events ALTER COLUMN prev_hash DROP NOT NULL;
ALTER TABLE audit_events ALTER COLUMN hash DROP NOT NULL;
CREATE UNIQUE INDEX audit_events_chain ON audit_events (chain_seq) WHERE chain_seq IS NOT NULL;
CREATE INDEX audit_events_unsealed ON audit_events (seq) WHERE chain_seq IS NULL;

ALTER TABLE audit_chain_head ADD COLUMN chain_seq bigint NOT NULL DEFAULT 0;
UPDATE audit_chain_head SET chain_seq = (SELECT coalesce(max(seq), 0) FROM audit_events);

CREATE OR REPLACE FUNCTION audit_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.chain_seq IS NULL AND OLD.hash IS NULL AND OLD.prev_hash IS NULL
     AND NEW.chain_seq IS NOT NULL AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL
     AND NEW.seq = OLD.seq AND NEW.at = OLD.at AND NEW.type = OLD.type AND NEW.actor = OLD.actor
     AND NEW.account_id IS NOT DISTINCT FROM OLD.account_id AND NEW.ip IS NOT DISTINCT FROM OLD.ip
     AND NEW.user_agent IS NOT DISTINCT FROM OLD.user_agent AND NEW.outcome = OLD.outcome
     AND NEW.details = OLD.details THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only';
END;
$$;

-- S2 (issue 13) and issue 14: a recovery start only records itself on the request path, the
-- same single row whatever matches; the account lookup, the flow, the secret, the audit event
-- and the message are written by the recovery-start worker, one transaction per start. The
-- row (with the contact given) lives only until then.
CREATE TABLE recovery_starts (
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('password', 'pin')),
  request jsonb NOT NULL,
  ip text NOT NULL,
  user_agent text NOT NULL,
  requested_at timestamptz NOT NULL
);
CREATE INDEX recovery_starts_order ON recovery_starts (requested_at);
