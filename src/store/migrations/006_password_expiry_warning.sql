-- S14: the expiry warning is sent once per password.
ALTER TABLE accounts ADD COLUMN password_expiry_warned_at timestamptz;
