-- Issue 12: the personal area shows whether the PEC is proved, as it does for the email and
-- the mobile. A PEC given at registration is not; one stored by a contact change is, since a
-- change takes effect only once the code sent to that PEC is confirmed.
ALTER TABLE accounts ADD COLUMN pec_verified boolean NOT NULL DEFAULT false;

-- The PECs already stored by a confirmed change: registration comes first and only a change
-- replaces a PEC afterwards, so an account with such an event holds a proved PEC.
UPDATE accounts a SET pec_verified = true
WHERE a.pec IS NOT NULL AND EXISTS (
  SELECT 1 FROM audit_events e
  WHERE e.account_id = a.id AND e.type = 'contact_changed' AND e.outcome = 'success' AND e.details->>'contact' = 'pec'
);
