// Settings under which production starts: random-looking secrets, since production refuses
// short, missing and low-variety ones (config.ts). Fixed so a failing run can be repeated.
export const strongSecrets = {
  session: 'u5UOaOhWw7TqnWajDo1e03GgSWKUsl07q3l5Oqy_',
  codeHmac: 'XpeWO9db3CKIb6Jv-0t24XqNMr_lQgU_MJS9Rf7k',
  oidcKeyEncryption: '5cba984d762b3aeb6a646459980c4f03b1d99d1062a62ddfaeca3c77b4efad47',
} as const;

export const productionEnv = {
  VARCO_ENV: 'production', PUBLIC_URL: 'https://varco.example.it', DATABASE_URL: 'postgres://db/varco',
  SMTP_URL: 'smtp://mail', SMS_GATEWAY_URL: 'https://sms.example.it/send',
  SESSION_SECRET: strongSecrets.session, CODE_HMAC_KEYS: strongSecrets.codeHmac, OIDC_KEY_ENCRYPTION_KEY: strongSecrets.oidcKeyEncryption,
} as const;
