-- OpenID Connect provider (oidc-provider) on Varco's own storage.
-- oidc_payloads: every artefact the provider stores (sessions, interactions, codes, tokens,
-- grants), keyed by model and id, with the lookups its Adapter contract needs.
CREATE TABLE oidc_payloads (
  model text NOT NULL,
  id text NOT NULL,
  payload jsonb NOT NULL,
  grant_id text,
  user_code text,
  uid text,
  expires_at timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (model, id)
);
CREATE INDEX oidc_payloads_grant ON oidc_payloads (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX oidc_payloads_uid ON oidc_payloads (uid) WHERE uid IS NOT NULL;
CREATE INDEX oidc_payloads_user_code ON oidc_payloads (user_code) WHERE user_code IS NOT NULL;
CREATE INDEX oidc_payloads_expiry ON oidc_payloads (expires_at) WHERE expires_at IS NOT NULL;

-- Services registered by the platform admin. A confidential client's secret is stored only
-- as its SHA-256 (the secret is 256 random bits, so a fast hash cannot be inverted).
CREATE TABLE oidc_clients (
  client_id text PRIMARY KEY,
  name text NOT NULL,
  type text NOT NULL CHECK (type IN ('public', 'confidential')),
  redirect_uris jsonb NOT NULL,
  post_logout_redirect_uris jsonb NOT NULL DEFAULT '[]',
  secret_hash text,
  created_at timestamptz NOT NULL
);

-- Signing keys (private JWKs). The newest signs; a retired key stays published in the JWKS
-- until every token it signed has expired (publish_until), then it is deleted.
CREATE TABLE oidc_signing_keys (
  kid text PRIMARY KEY,
  alg text NOT NULL CHECK (alg IN ('RS256', 'ES256')),
  private_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  retired_at timestamptz,
  publish_until timestamptz
);

-- What a citizen agreed a service may read: remembered across sessions until revoked in the
-- personal area. The provider's Grant is rebuilt from it at the next sign-in.
CREATE TABLE oidc_consents (
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  client_id text NOT NULL REFERENCES oidc_clients (client_id) ON DELETE CASCADE,
  scopes text NOT NULL,
  claims jsonb NOT NULL DEFAULT '[]',
  granted_at timestamptz NOT NULL,
  PRIMARY KEY (account_id, client_id)
);
