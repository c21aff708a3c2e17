// One-time secrets, links and codes alike: S4–S10 of SECURITY.md in one module.
// - S4: link tokens of 256 bits, numeric codes from a CSPRNG (deps.random).
// - S5: links stored as SHA-256 (a ≥128-bit preimage cannot be guessed); short codes as a
//   keyed HMAC-SHA-256 bound to the row, so a stolen table alone does not give them up and
//   no slow argon2 hash sits on a path an attacker can hammer. The key comes from
//   CODE_HMAC_KEYS: the first key signs, every key verifies (rotation without losing codes).
// - S6: consumed once, by one guarded statement. S7: expiry. S8: attempts counted before the
//   comparison, by one guarded statement; a reissue in the same flow keeps the count.
// - S9: a reissue voids the earlier secrets of the same purpose; a credential change voids
//   every outstanding secret of the account (after-change.ts). S10: constant-time compare.
import { createHmac } from 'node:crypto';
import type { Clock, Random } from '../../domain/clock.ts';
import { addSeconds } from '../../domain/clock.ts';
import { constantTimeEqual, hashToken, newNumericCode, newToken } from '../../domain/secrets.ts';
import type { Config } from '../../config.ts';
import type { Queryable } from '../../store/db.ts';
import { uuidFrom } from '../../domain/uuid.ts';
import {
  consumeSecretRow, countSecretAttempt, findLiveSecret, findSecretByHash, insertSecret, spentAttempts,
  voidSecretsOf, voidSecretsOfFlow,
  type SecretPurpose, type SecretRow, type SecretScope,
} from './one-time-secret.repo.ts';

export type { SecretPurpose, SecretRow, SecretScope } from './one-time-secret.repo.ts';

type SecretDeps = { clock: Clock; random: Random; config: Pick<Config, 'codeHmacKeys'> };

/**
 * What each purpose hands out: a link token, or a code of so many digits. `independent`: each
 * secret stands for its own message (one notice, one link), so a new one does not void the
 * earlier ones; a credential change still voids them all (S9).
 */
const shapes: Record<SecretPurpose, ({ form: 'link' } | { form: 'code'; digits: number }) & { independent?: true }> = {
  password_reset_link: { form: 'link' },
  password_reset_code: { form: 'code', digits: 6 },
  password_second_factor_code: { form: 'code', digits: 6 },
  pin_change_code: { form: 'code', digits: 6 },
  pin_recovery_code: { form: 'code', digits: 8 },
  wasnt_me_link: { form: 'link', independent: true },
  verify_email: { form: 'code', digits: 6 },
  verify_mobile: { form: 'code', digits: 6 },
  change_email: { form: 'code', digits: 6 },
  change_mobile: { form: 'code', digits: 6 },
  change_pec: { form: 'code', digits: 6 },
};

export interface SecretRequest {
  purpose: SecretPurpose;
  accountId: string | null;
  flowId: string | null;
  ttlSeconds: number;
  /** The secret never outlives this (a second-factor code never outlives its link). */
  notAfter?: Date;
  maxAttempts?: number;
}

export interface IssuedSecret {
  id: string;
  /** The plaintext, for the message that carries it and nothing else. */
  secret: string;
  expiresAt: Date;
}


/** Binding the row id and purpose means a hash copied to another row or purpose verifies nothing. */
function codeHmac(key: string, row: Pick<SecretRow, 'id' | 'purpose'>, code: string): string {
  return createHmac('sha256', key).update(`${row.purpose}\n${row.id}\n${code}`, 'utf8').digest('base64url');
}

function hashFor(config: SecretDeps['config'], row: Pick<SecretRow, 'id' | 'purpose'>, secret: string): string {
  if (shapes[row.purpose].form === 'link') return hashToken(secret);
  return codeHmac(config.codeHmacKeys[0]!, row, secret);
}

/** Creates a secret and voids the earlier ones of its purpose for the account (S9). Caller owns the transaction. */
export async function issueSecret(tx: Queryable, deps: SecretDeps, request: SecretRequest): Promise<IssuedSecret> {
  const now = deps.clock.now();
  const shape = shapes[request.purpose];
  const secret = shape.form === 'link' ? newToken(deps.random) : newNumericCode(deps.random, shape.digits);
  const id = uuidFrom(deps.random);
  const ttlEnd = addSeconds(now, request.ttlSeconds);
  const expiresAt = request.notAfter && request.notAfter < ttlEnd ? request.notAfter : ttlEnd;
  if (!shape.independent) await voidSecretsOf(tx, { accountId: request.accountId, flowId: request.flowId }, [request.purpose], now);
  await insertSecret(tx, {
    id, purpose: request.purpose, accountId: request.accountId, flowId: request.flowId,
    secretHash: hashFor(deps.config, { id, purpose: request.purpose }, secret), maxAttempts: request.maxAttempts ?? 5, expiresAt,
  }, now);
  return { id, secret, expiresAt };
}

/** The row of a link token, whatever its state: the caller tells used, expired and void apart (410 codes). */
export function findLink(db: Queryable, purpose: SecretPurpose, token: string): Promise<SecretRow | null> {
  return findSecretByHash(db, purpose, hashToken(token));
}

/** The scope's live secret, counting nothing: "is a code waiting?" */
export function liveSecret(db: Queryable, scope: SecretScope, now: Date): Promise<SecretRow | null> {
  return findLiveSecret(db, scope, now);
}

/** Attempts a flow has spent on this purpose, across reissues (S8). */
export function attemptsSpent(db: Queryable, flowId: string, purpose: SecretPurpose): Promise<number> {
  return spentAttempts(db, flowId, purpose);
}

/** Counts one attempt on the scope's live code (S8); null when there is none or its budget is spent. */
export function countAttempt(db: Queryable, scope: SecretScope, now: Date): Promise<SecretRow | null> {
  return countSecretAttempt(db, scope, now);
}

/**
 * Compares a code with the row in constant time under every configured key, without
 * stopping at the first match, so the time does not tell which key signed it (S10). A null
 * row is compared against a dummy one: unknown accounts spend the same work (S2).
 */
export function codeMatches(deps: Pick<SecretDeps, 'config'>, row: Pick<SecretRow, 'id' | 'purpose' | 'secret_hash'> | null, code: string): boolean {
  const target = row ?? { id: '00000000-0000-4000-8000-000000000000', purpose: 'pin_recovery_code' as const, secret_hash: '' };
  const shape = shapes[target.purpose];
  const wellFormed = shape.form === 'code' && new RegExp(`^\\d{${shape.digits}}$`).test(code);
  let matched = false;
  for (const key of deps.config.codeHmacKeys) {
    if (constantTimeEqual(codeHmac(key, target, code), target.secret_hash)) matched = true;
  }
  return row !== null && wellFormed && matched;
}

/** Single use (S6): the one caller that spent it gets the row; everyone else null. */
export function consumeSecret(tx: Queryable, id: string, now: Date): Promise<SecretRow | null> {
  return consumeSecretRow(tx, id, now);
}

/** Voids the outstanding secrets of these purposes for the account, or for the flow when the account is unknown (S9). */
export function voidSecrets(
  tx: Queryable, owner: { accountId: string | null; flowId?: string | null }, purposes: readonly SecretPurpose[], now: Date,
): Promise<void> {
  return voidSecretsOf(tx, { accountId: owner.accountId, flowId: owner.flowId ?? null }, purposes, now);
}

/** A flow that ended (too many wrong codes) voids what it still held. */
export function voidFlowSecrets(tx: Queryable, flowId: string, now: Date): Promise<void> {
  return voidSecretsOfFlow(tx, flowId, now);
}

/** Why a link cannot be used, in the contract's words; null when it can. */
export function linkProblem(row: SecretRow | null, now: Date): 'token_invalid' | 'token_used' | 'token_expired' | null {
  if (!row?.account_id) return 'token_invalid';
  if (row.consumed_at) return 'token_used';
  if (row.expires_at <= now) return 'token_expired';
  if (row.voided_at) return 'token_invalid';
  return null;
}
