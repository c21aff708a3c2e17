// Platform administration: administrations, operators, and citizens registered at the counter.
import { deriveBirthData, fullBirthYear, type CodiceFiscale } from '../../domain/codice-fiscale.ts';
import { addSeconds } from '../../domain/clock.ts';
import { AppError } from '../../domain/errors.ts';
import { checkPasswordPolicy, normalisePassword } from '../../domain/password-policy.ts';
import { hashToken, newReadableSecret, newToken } from '../../domain/secrets.ts';
import { insertAccount, rememberPassword } from '../../store/accounts.repo.ts';
import { insertApiToken } from '../../store/api-tokens.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import type { Queryable } from '../../store/db.ts';
import { afterCredentialChange } from '../credentials/after-change.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { requireCodiceFiscale } from '../sign-in/sign-in.steps.ts';
import { insertAdministration, insertOperator } from './admin.repo.ts';

export const temporaryPasswordTtlSeconds = 72 * 60 * 60; // 72 hours (S7)
const generatedPasswordLength = 12; // ≈ 70 bits over the readable alphabet

async function issueApiToken(tx: Queryable, deps: FlowDeps, role: 'administration' | 'operator', subjectId: string): Promise<string> {
  const apiToken = newToken(deps.random);
  await insertApiToken(tx, { tokenHash: hashToken(apiToken), role, subjectId }, deps.clock.now());
  return apiToken;
}

export async function createAdministration(deps: FlowDeps, input: { code: string; name: string }, meta: RequestMeta) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const id = await insertAdministration(tx, input, now);
    if (!id) throw new AppError('conflict', {}, 'an administration with this code exists');
    const apiToken = await issueApiToken(tx, deps, 'administration', id);
    await recordAudit(tx, now, { type: 'administration_created', actor: 'admin', ...meta, outcome: 'success', details: { code: input.code } });
    return { id, code: input.code, name: input.name, apiToken };
  });
}

export async function createOperator(
  deps: FlowDeps,
  input: { codiceFiscale: string; firstName: string; lastName: string; email: string; password?: string },
  meta: RequestMeta,
) {
  const codiceFiscale = requireCodiceFiscale(input.codiceFiscale);
  if (input.password) {
    const reasons = checkPasswordPolicy(input.password, deps.config.passwordPolicy, { codiceFiscale, firstName: input.firstName, lastName: input.lastName });
    if (reasons.length > 0) throw new AppError('weak_password', { reasons });
  }
  const passwordHash = input.password ? await deps.hasher.hash(normalisePassword(input.password)) : null;
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const id = await insertOperator(tx, { codiceFiscale, firstName: input.firstName, lastName: input.lastName, email: input.email, passwordHash }, now);
    if (!id) throw new AppError('conflict', {}, 'an operator with this codice fiscale exists');
    const apiToken = await issueApiToken(tx, deps, 'operator', id);
    await recordAudit(tx, now, { type: 'operator_created', actor: 'admin', ...meta, outcome: 'success', details: { operatorId: id } });
    return { id, apiToken };
  });
}

export interface CounterRegistration {
  codiceFiscale: string;
  firstName: string;
  lastName: string;
  email?: string;
  mobile?: string | null;
  pec?: string;
  birthDate?: string;
  temporaryPassword?: string;
}

function birthDateOf(codiceFiscale: CodiceFiscale, given: string | undefined, now: Date): string | null {
  if (given) return given;
  const derived = deriveBirthData(codiceFiscale);
  if (!derived) return null;
  const { year2, month, day } = derived.birthDate;
  const year = fullBirthYear(year2, { year: now.getUTCFullYear() });
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export async function registerAtCounter(deps: FlowDeps, input: CounterRegistration, meta: RequestMeta): Promise<{ codiceFiscale: string }> {
  const codiceFiscale = requireCodiceFiscale(input.codiceFiscale) as CodiceFiscale;
  if (!input.temporaryPassword && !input.email) {
    throw new AppError('invalid_request', { errors: [{ field: 'email', message: 'needed to send a generated temporary password' }] });
  }
  const temporaryPassword = normalisePassword(input.temporaryPassword ?? newReadableSecret(deps.random, generatedPasswordLength));
  const passwordHash = await deps.hasher.hash(temporaryPassword);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const validUntil = addSeconds(now, temporaryPasswordTtlSeconds);
    const account = await insertAccount(tx, {
      codiceFiscale, firstName: input.firstName, lastName: input.lastName, birthDate: birthDateOf(codiceFiscale, input.birthDate, now),
      email: input.email ?? null, mobile: input.mobile ?? null, pec: input.pec ?? null, passwordHash, passwordTemporaryUntil: validUntil,
    }, now);
    if (!account) throw new AppError('account_exists');
    await rememberPassword(tx, account.id, passwordHash, now);
    // A new account has no secrets outstanding, but the lock on its codice fiscale may be set:
    // unknown codici fiscali are counted like known ones (S3), and a fresh credential clears it.
    const handedOver = Boolean(input.temporaryPassword);
    await afterCredentialChange(tx, deps, { kind: 'admin_temporary_password', account, actor: 'admin',
      details: { temporaryPasswordHandedOver: handedOver },
      messages: !handedOver && input.email ? [{ channel: 'email', to: input.email, kind: 'temporary_password', language: account.language,
        params: { temporaryPassword, validUntil: validUntil.toISOString(), signInUrl: `${deps.config.publicUrl}/signin` } }] : [] }, meta);
    return { codiceFiscale };
  });
}
