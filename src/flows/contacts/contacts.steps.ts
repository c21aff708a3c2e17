// Changing a contact (S30): the new email, mobile or PEC takes effect only after a code sent
// to that new channel is confirmed, which proves the citizen receives there; the old address
// is then told, so a hijacked session cannot quietly redirect recovery messages.
import type { Channel } from '../../delivery/message.ts';
import { AppError } from '../../domain/errors.ts';
import { normaliseMobile } from '../../domain/phone.ts';
import type { AccountRow } from '../../store/accounts.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import { wasntMeLink } from '../notices/wasnt-me.ts';
import type { FlowDeps } from '../deps.ts';
import { normaliseEmail } from '../enrolment/worker-row.ts';
import { codeTtlSeconds, issueCode, openProofOf, spendCode, type CodePurpose, type OpenProof } from '../profile-completion/verification-codes.ts';
import { requireWithinLimit } from '../rate-limit.ts';
import type { RequestMeta } from '../request-meta.ts';
import { replaceContact, type Contact } from './contacts.repo.ts';

export type ContactChange = Partial<Record<Contact, string>>;

export const contactKinds: readonly Contact[] = ['email', 'mobile', 'pec'];

const purposeOf: Record<Contact, CodePurpose> = { email: 'change_email', mobile: 'change_mobile', pec: 'change_pec' };
const channelOf: Record<Contact, Channel> = { email: 'email', mobile: 'sms', pec: 'pec' };
const changesPerHour = 5;

function normalised(contact: Contact, value: string): string {
  const result = contact === 'mobile' ? normaliseMobile(value) : normaliseEmail(value);
  if (!result) throw new AppError('invalid_request', { errors: [{ field: contact, message: `not a valid ${contact}` }] });
  return result;
}

/** Sends a code to each new contact; nothing changes yet. Returns the contacts awaiting their code. */
export async function requestContactChange(deps: FlowDeps, account: AccountRow, change: ContactChange): Promise<Contact[]> {
  const wanted = (Object.keys(change) as Contact[]).map((contact) => ({ contact, value: normalised(contact, change[contact]!) }));
  if (wanted.length === 0) throw new AppError('invalid_request', { errors: [{ field: '(body)', message: 'name at least one contact' }] });
  const changed = wanted.filter(({ contact, value }) => account[contact] !== value);
  for (const { contact } of changed) await requireWithinLimit(deps, `contact-change:${contact}:account:${account.id}`, changesPerHour, 3600);
  await deps.db.transaction(async (tx) => {
    for (const { contact, value } of changed) {
      const code = await issueCode(tx, deps, { accountId: account.id, purpose: purposeOf[contact], target: value });
      await deps.outbox.enqueue(tx, { channel: channelOf[contact], to: value, kind: 'contact_verification_code', language: account.language,
        params: { code, validMinutes: String(codeTtlSeconds / 60) } });
    }
  });
  return changed.map(({ contact }) => contact);
}

export async function confirmContactChange(deps: FlowDeps, account: AccountRow, input: { contact: Contact; code: string }, meta: RequestMeta): Promise<void> {
  await spendCode(deps, { accountId: account.id, purpose: purposeOf[input.contact], code: input.code }, async (tx, target) => {
    const now = deps.clock.now();
    const { old } = await replaceContact(tx, account.id, input.contact, target, now);
    await recordAudit(tx, now, { type: 'contact_changed', actor: `citizen:${account.codice_fiscale}`, accountId: account.id, ...meta,
      outcome: 'success', details: { contact: input.contact } });
    // The old address itself when it can read email (email, PEC); for a mobile, the registered email.
    const notify = input.contact === 'mobile' ? { channel: 'email' as const, to: account.email } : { channel: channelOf[input.contact], to: old };
    if (notify.to && notify.to !== target) {
      await deps.outbox.enqueue(tx, { channel: notify.channel, to: notify.to, kind: 'contact_changed', language: account.language,
        params: { contact: input.contact, at: now.toISOString(), wasntMeUrl: await wasntMeLink(tx, deps, account.id) } });
    }
  });
}

/** The change of this contact waiting for its code, or null (none asked within the hour, or already in effect). */
export async function pendingContactChange(deps: FlowDeps, account: AccountRow, contact: Contact): Promise<OpenProof | null> {
  const proof = await openProofOf(deps, { accountId: account.id, purpose: purposeOf[contact] });
  return proof && proof.target !== account[contact] ? proof : null;
}

/**
 * Sends a new code to the address waiting for it, through the same step as a new request: the
 * hourly limit applies and, within the proof, the attempts already spent stay spent (S8).
 * False when nothing is waiting.
 */
export async function resendContactCode(deps: FlowDeps, account: AccountRow, contact: Contact): Promise<boolean> {
  const pending = await pendingContactChange(deps, account, contact);
  if (!pending) return false;
  await requestContactChange(deps, account, { [contact]: pending.target });
  return true;
}
