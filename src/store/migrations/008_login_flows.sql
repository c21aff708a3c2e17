-- Sign-in as a flow (ARCHITECTURE.md "Flows and strategies"): a row per sign-in journey,
-- created when the sign-in page opens or an API client starts one. It records where the
-- journey came from and must resume (return_to: a relative Varco path, an OIDC interaction
-- or a SAML request), what assurance it asks for and which strategy was chosen.
CREATE TABLE login_flows (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  state text NOT NULL,
  expires_at timestamptz NOT NULL,
  return_to text,
  requested_acr text,
  method text CHECK (method IN ('password', 'pin', 'spid', 'cie')),
  account_id uuid REFERENCES accounts (id) ON DELETE CASCADE,
  oidc_interaction_id text,
  saml_request_id text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX login_flows_expiry ON login_flows (expires_at);
CREATE UNIQUE INDEX login_flows_saml_request ON login_flows (saml_request_id) WHERE saml_request_id IS NOT NULL;

-- What a session was opened with: the assurance (acr) and, for SPID/CIE, the provider.
ALTER TABLE sessions ADD COLUMN acr text;
ALTER TABLE sessions ADD COLUMN provider text;
ALTER TABLE sessions ADD COLUMN login_flow_id uuid;
