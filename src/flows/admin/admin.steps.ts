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
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { requireCodiceFiscale } from '../sign-in/sign-in.steps.ts';

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
    const inserted = await tx.query<{ id: string }>(
      'INSERT INTO administrations (code, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING RETURNING id',
      [input.code, input.name, now],
    );
    const id = inserted.rows[0]?.id;
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
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO operators (codice_fiscale, first_name, last_name, email, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (codice_fiscale) DO NOTHING RETURNING id`,
      [codiceFiscale, input.firstName, input.lastName, input.email, passwordHash, now],
    );
    const id = inserted.rows[0]?.id;
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
    await recordAudit(tx, now, { type: 'account_registered', actor: 'admin', accountId: account.id, ...meta, outcome: 'success',
      details: { temporaryPasswordHandedOver: Boolean(input.temporaryPassword) } });
    if (!input.temporaryPassword && input.email) {
      await deps.outbox.enqueue(tx, {
        channel: 'email', to: input.email, kind: 'temporary_password', language: account.language,
        params: { temporaryPassword, validUntil: validUntil.toISOString(), signInUrl: `${deps.config.publicUrl}/signin` },
      });
    }
    return { codiceFiscale };
  });
}
