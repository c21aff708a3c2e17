-- Issue 14: GET /api/v1/me shows the account's last SPID or CIE sign-in. With only the
-- (account_id, seq) index, finding it walked every event of the account, newest first, on every
-- request, and all of them for a citizen who signs in with a password. This index holds only
-- federated sign-ins (its predicate is the query's), so the answer is its first entry.
CREATE INDEX audit_events_federated_sign_in ON audit_events (account_id, seq DESC)
  WHERE type = 'sign_in' AND details->>'method' IN ('spid', 'cie');
