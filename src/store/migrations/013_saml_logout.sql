-- SAML single logout for SPID: the login flow of a SPID sign-in remembers the subject the IdP
-- named (its transient NameID, qualifier and SessionIndex), so that a LogoutRequest can name
-- it and an IdP-initiated one can find the sessions it opened; and the ID of the
-- LogoutRequest it sent, answered once by the IdP's LogoutResponse before it expires.
ALTER TABLE login_flows ADD COLUMN saml_name_id text;
ALTER TABLE login_flows ADD COLUMN saml_name_qualifier text;
ALTER TABLE login_flows ADD COLUMN saml_session_index text;
ALTER TABLE login_flows ADD COLUMN saml_logout_request_id text;
ALTER TABLE login_flows ADD COLUMN saml_logout_expires_at timestamptz;
CREATE INDEX login_flows_saml_subject ON login_flows (saml_idp, saml_name_id) WHERE saml_name_id IS NOT NULL;
CREATE UNIQUE INDEX login_flows_saml_logout ON login_flows (saml_logout_request_id) WHERE saml_logout_request_id IS NOT NULL;
