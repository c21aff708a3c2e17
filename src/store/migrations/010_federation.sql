-- SPID / CIE (SPID.md items 25 and 28): a pending SAML request remembers the IdP it was
-- sent to, so that only that IdP's Response can answer it.
ALTER TABLE login_flows ADD COLUMN saml_idp text;
