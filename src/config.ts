// The one place that reads process.env: every setting typed, validated and documented
// with its unit. Production refuses to start on a missing or development-only setting.
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { PasswordProfile } from './domain/password-policy.ts';
import { weakSecretReason } from './domain/secrets.ts';

export type VarcoEnv = 'development' | 'production';

export interface Config {
  env: VarcoEnv;
  host: string;
  port: number;
  publicUrl: string;
  databaseUrl: string | undefined; // undefined → PGlite in dataDir; 'memory://' → PGlite in memory
  dataDir: string;
  redisUrl: string | undefined;
  redisKeyPrefix: string; // keys in Redis start with it (deployments sharing one Redis)
  databasePoolSize: number; // PostgreSQL connections per instance (issue 14: a few per core is enough)
  /** Statements sent prepared, by name (off for a pooler that cannot keep them, such as PgBouncer before 1.21). */
  databasePreparedStatements: boolean;
  hashQueueLimit: number | undefined; // argon2 hashes running or waiting beyond which requests answer 503 overloaded; unset → 64 per core
  smtpUrl: string | undefined;
  pecSmtpUrl: string | undefined;
  smsGatewayUrl: string | undefined;
  smsGatewayAuthHeader: string | undefined; // e.g. "Authorization: Bearer xyz"
  mailFrom: string;
  bootstrapAdminToken: string | undefined;
  captcha: boolean;
  lockoutThreshold: number;
  lockoutSeconds: number;
  passwordPolicy: PasswordProfile;
  passwordMaxAgeDays: number; // 0 disables expiry
  signInPerIpPerMinute: number; // S17: sign-in attempts one address may make in a minute
  recoveryPerAccountPerHour: number; // recovery starts per codice fiscale per hour
  recoveryPerIpPerHour: number; // recovery starts per address per hour
  codeEntryPerIpPerHour: number; // code and token submissions per address per hour
  deskRequestsPerIpPerMinute: number; // assistance-desk requests per address per minute (S17)
  recoverySecondFactor: 'off' | 'sms'; // email recovery also asks an SMS code when the mobile is verified
  deskServiceLevelDays: number; // Italian working days to resolve a confirmed assistance request
  sessionSecret: string; // keys CSRF tokens; random per process in development
  codeHmacKeys: readonly string[]; // S5: keys of the HMAC over short codes; the first signs, all verify (rotation)
  oidcKeyEncryption: { key: string | undefined; keyFile: string | undefined }; // AES-256-GCM key of the OIDC signing keys at rest; unset in development → generated under DATA_DIR
  seedDemoData: boolean;
  logLevel: string;
  federation: FederationConfig;
  portal: PortalConfig;
}

/** The administration that owns the portal, shown in the header and footer of every page. */
export interface PortalConfig {
  administrationName: string;
  administrationUrl: string;
  /** Path or URL of the administration's logo (SVG or PNG). */
  administrationLogoUrl: string;
}

/** SPID / CIE service provider settings (SPID.md, AgID notice 29). */
export interface FederationConfig {
  spidEntityId: string; // SP entityID in the SPID metadata and AuthnRequests
  cieEntityId: string; // SP entityID towards CIE
  spKeyFile: string | undefined; // PEM private key; unset → development pair under DATA_DIR
  spCertFile: string | undefined; // PEM certificate matching the key
  organizationName: string;
  organizationDisplayName: string;
  organizationUrl: string;
  ipaCode: string; // code of the administration in the IPA index
  contactEmail: string;
  contactPhone: string | undefined; // +39… without spaces
  municipality: string; // ISTAT code of the seat, for the CIE metadata
  province: string; // two-letter province of the seat, for the CIE metadata
  spidIdpMetadata: string[]; // paths or URLs of IdP metadata to trust for SPID
  cieIdpMetadata: string[]; // paths or URLs of IdP metadata to trust for CIE
  metadataRefreshSeconds: number; // how often URL metadata is fetched again
  metadataSigningCertFile: string | undefined; // PEM that signed metadata must verify with (e.g. AgID's)
  federatedAccounts: 'page' | 'create'; // unknown codice fiscale at SPID/CIE: how-to-register page, or a federated-only account
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

function optional(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

function list(env: Env, name: string): string[] {
  return (optional(env, name) ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function federationConfig(env: Env, publicUrl: string): FederationConfig {
  const phone = optional(env, 'SP_CONTACT_PHONE');
  if (phone !== undefined && !/^\+39\d{6,12}$/.test(phone)) throw new ConfigError(`SP_CONTACT_PHONE must be +39 followed by digits, got "${phone}"`);
  return {
    spidEntityId: optional(env, 'SP_ENTITY_ID') ?? publicUrl,
    cieEntityId: optional(env, 'CIE_SP_ENTITY_ID') ?? `${publicUrl}/cie`,
    spKeyFile: optional(env, 'SAML_SP_KEY_FILE'),
    spCertFile: optional(env, 'SAML_SP_CERT_FILE'),
    organizationName: optional(env, 'SP_ORGANIZATION_NAME') ?? 'Varco',
    organizationDisplayName: optional(env, 'SP_ORGANIZATION_DISPLAY_NAME') ?? 'Varco — accesso ai servizi',
    organizationUrl: optional(env, 'SP_ORGANIZATION_URL') ?? publicUrl,
    ipaCode: optional(env, 'SP_IPA_CODE') ?? 'varco',
    contactEmail: optional(env, 'SP_CONTACT_EMAIL') ?? 'assistenza@varco.localhost',
    contactPhone: phone,
    municipality: optional(env, 'SP_MUNICIPALITY') ?? '058091',
    province: optional(env, 'SP_PROVINCE') ?? 'RM',
    spidIdpMetadata: list(env, 'SPID_IDP_METADATA'),
    cieIdpMetadata: list(env, 'CIE_IDP_METADATA'),
    metadataRefreshSeconds: integer(env, 'SAML_METADATA_REFRESH_SECONDS', 6 * 3600, 60),
    metadataSigningCertFile: optional(env, 'SAML_METADATA_SIGNING_CERT_FILE'),
    federatedAccounts: oneOf(env, 'FEDERATED_ACCOUNTS', ['page', 'create'] as const, 'page'),
  };
}

/** Secrets that may come from a file (a mounted Docker/Kubernetes secret) instead of the environment. */
const fileSecrets = ['SESSION_SECRET', 'CODE_HMAC_KEYS', 'BOOTSTRAP_ADMIN_TOKEN', 'SMS_GATEWAY_AUTH_HEADER'] as const;

/** NAME_FILE=path → NAME=the file's content (trailing newline dropped); both set is an error. */
function withSecretFiles(env: Env): Env {
  const resolved: Env = { ...env };
  for (const name of fileSecrets) {
    const path = optional(env, `${name}_FILE`);
    if (path === undefined) continue;
    if (optional(env, name) !== undefined) throw new ConfigError(`set ${name} or ${name}_FILE, not both`);
    try {
      resolved[name] = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    } catch {
      throw new ConfigError(`${name}_FILE: cannot read ${path}`);
    }
  }
  return resolved;
}

export function loadConfig(rawEnv: Env = process.env): Config {
  const env = withSecretFiles(rawEnv);
  const varcoEnv = oneOf(env, 'VARCO_ENV', ['development', 'production'] as const, 'development');
  const host = optional(env, 'HOST') ?? '127.0.0.1';
  const port = integer(env, 'PORT', 3000, 0);
  const publicUrl = (optional(env, 'PUBLIC_URL') ?? `http://${host}:${port}`).replace(/\/+$/, '');
  const config: Config = {
    env: varcoEnv,
    host,
    port,
    publicUrl,
    databaseUrl: optional(env, 'DATABASE_URL'),
    dataDir: optional(env, 'DATA_DIR') ?? './data',
    redisUrl: optional(env, 'REDIS_URL'),
    redisKeyPrefix: optional(env, 'REDIS_KEY_PREFIX') ?? 'varco',
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1),
    databasePreparedStatements: oneOf(env, 'DATABASE_PREPARED_STATEMENTS', ['on', 'off'] as const, 'on') === 'on',
    hashQueueLimit: optional(env, 'HASH_QUEUE_LIMIT') === undefined ? undefined : integer(env, 'HASH_QUEUE_LIMIT', 128, 1),
    smtpUrl: optional(env, 'SMTP_URL'),
    pecSmtpUrl: optional(env, 'PEC_SMTP_URL'),
    smsGatewayUrl: optional(env, 'SMS_GATEWAY_URL'),
    smsGatewayAuthHeader: optional(env, 'SMS_GATEWAY_AUTH_HEADER'),
    mailFrom: optional(env, 'MAIL_FROM') ?? 'Varco <no-reply@varco.localhost>',
    bootstrapAdminToken: optional(env, 'BOOTSTRAP_ADMIN_TOKEN'),
    captcha: oneOf(env, 'CAPTCHA', ['on', 'off'] as const, 'on') === 'on',
    lockoutThreshold: integer(env, 'LOCKOUT_THRESHOLD', 5, 1),
    lockoutSeconds: integer(env, 'LOCKOUT_SECONDS', 900, 1),
    passwordPolicy: oneOf(env, 'PASSWORD_POLICY', ['classic', 'asvs'] as const, 'classic'),
    passwordMaxAgeDays: integer(env, 'PASSWORD_MAX_AGE_DAYS', 180, 0),
    signInPerIpPerMinute: integer(env, 'RATE_LIMIT_SIGNIN_PER_IP_PER_MINUTE', 60, 1),
    recoveryPerAccountPerHour: integer(env, 'RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR', 3, 1),
    recoveryPerIpPerHour: integer(env, 'RATE_LIMIT_RECOVERY_PER_IP_PER_HOUR', 20, 1),
    codeEntryPerIpPerHour: integer(env, 'RATE_LIMIT_CODE_ENTRY_PER_IP_PER_HOUR', 60, 1),
    deskRequestsPerIpPerMinute: integer(env, 'RATE_LIMIT_DESK_REQUESTS_PER_IP_PER_MINUTE', 10, 1),
    recoverySecondFactor: oneOf(env, 'RECOVERY_SECOND_FACTOR', ['off', 'sms'] as const, 'off'),
    deskServiceLevelDays: integer(env, 'DESK_SERVICE_LEVEL_DAYS', 5, 1),
    sessionSecret: optional(env, 'SESSION_SECRET') ?? randomBytes(32).toString('base64url'),
    codeHmacKeys: [],
    oidcKeyEncryption: { key: optional(env, 'OIDC_KEY_ENCRYPTION_KEY'), keyFile: optional(env, 'OIDC_KEY_ENCRYPTION_KEY_FILE') },
    seedDemoData: varcoEnv === 'development' && optional(env, 'SEED_DEMO_DATA') !== 'off',
    logLevel: optional(env, 'LOG_LEVEL') ?? 'info',
    federation: federationConfig(env, publicUrl),
    portal: {
      administrationName: optional(env, 'ADMINISTRATION_NAME') ?? 'Amministrazione titolare del servizio',
      administrationUrl: optional(env, 'ADMINISTRATION_URL') ?? publicUrl,
      administrationLogoUrl: optional(env, 'ADMINISTRATION_LOGO_URL') ?? '/static/emblem.svg',
    },
  };
  config.codeHmacKeys = codeHmacKeys(env, config.sessionSecret);
  if (config.env === 'production') assertProductionReady(config, env);
  return config;
}

const minCodeKeyLength = 32;

/**
 * CODE_HMAC_KEYS: comma-separated; the first key signs new codes, every key verifies, so a
 * new key is put first and the old one kept until the codes it signed have expired (24 h at
 * most, S7). In development an unset value is derived from SESSION_SECRET.
 */
function codeHmacKeys(env: Env, sessionSecret: string): string[] {
  const raw = optional(env, 'CODE_HMAC_KEYS');
  if (raw === undefined) return [createHmac('sha256', sessionSecret).update('varco code hmac key').digest('base64url')];
  const keys = raw.split(',').map((key) => key.trim()).filter((key) => key !== '');
  if (keys.length === 0) throw new ConfigError('CODE_HMAC_KEYS must name at least one key');
  return keys;
}

function assertProductionReady(config: Config, env: Env): void {
  const missing: string[] = (['PUBLIC_URL', 'DATABASE_URL', 'SMTP_URL', 'SMS_GATEWAY_URL', 'SESSION_SECRET', 'CODE_HMAC_KEYS'] as const).filter(
    (name) => optional(env, name) === undefined,
  );
  if (!config.oidcKeyEncryption.key && !config.oidcKeyEncryption.keyFile) missing.push('OIDC_KEY_ENCRYPTION_KEY (or _FILE)');
  if (missing.length > 0) throw new ConfigError(`production needs ${missing.join(', ')}`);
  if (config.databaseUrl === 'memory://') throw new ConfigError('production cannot use an in-memory database');
  if (!config.publicUrl.startsWith('https://')) throw new ConfigError('PUBLIC_URL must be https:// in production');
  if (config.sessionSecret.length < 32) throw new ConfigError('SESSION_SECRET must be at least 32 characters');
  if (config.codeHmacKeys.some((key) => key.length < minCodeKeyLength)) {
    throw new ConfigError(`every key of CODE_HMAC_KEYS must be at least ${minCodeKeyLength} characters`);
  }
  if (config.bootstrapAdminToken !== undefined && config.bootstrapAdminToken.length < 32) {
    throw new ConfigError('BOOTSTRAP_ADMIN_TOKEN must be at least 32 characters');
  }
  refuseWeakSecrets([
    ['SESSION_SECRET', config.sessionSecret],
    ...config.codeHmacKeys.map((key, i) => [config.codeHmacKeys.length > 1 ? `CODE_HMAC_KEYS (key ${i + 1})` : 'CODE_HMAC_KEYS', key] as const),
    ['OIDC_KEY_ENCRYPTION_KEY', config.oidcKeyEncryption.key],
    ['BOOTSTRAP_ADMIN_TOKEN', config.bootstrapAdminToken],
  ]);
}

/** Long enough is not enough: a guessable pattern is refused too, naming the setting, never quoting it. */
function refuseWeakSecrets(secrets: ReadonlyArray<readonly [string, string | undefined]>): void {
  for (const [name, value] of secrets) {
    const reason = value === undefined ? undefined : weakSecretReason(value);
    if (reason) throw new ConfigError(`${name} is too easy to guess: it ${reason}; use a random one`);
  }
}

/** Under the `asvs` profile passwords never expire (S12). */
export function expiryPolicy(config: Pick<Config, 'passwordPolicy' | 'passwordMaxAgeDays'>): { passwordMaxAgeDays: number } {
  return { passwordMaxAgeDays: config.passwordPolicy === 'asvs' ? 0 : config.passwordMaxAgeDays };
}
