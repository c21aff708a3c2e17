// S30: a sign-in from a browser the account has not used before sends a notice to the
// registered email, with when, which device, from where, and the "this wasn't me" link. The
// very first device of an account is learnt silently (its first sign-in is no news). Runs in
// the transaction that opens the session, so the session, the device and the notice commit
// together.
import type { AccountRow } from '../../store/accounts.repo.ts';
import type { Queryable } from '../../store/db.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { wasntMeLink } from './wasnt-me.ts';

/** Whether a sign-in from this device is news to tell: a browser never seen, on an account that knew others, with an email. */
export function deviceIsNews(device: { isNew: boolean; knewOthers: boolean }, account: Pick<AccountRow, 'email'>): boolean {
  return device.isNew && device.knewOthers && account.email !== null;
}

/** The notice itself, once the sign-in has recorded the device (sign-in-record.repo.ts). */
export async function noticeNewDevice(
  tx: Queryable,
  deps: Pick<FlowDeps, 'clock' | 'random' | 'config' | 'outbox'>,
  account: Pick<AccountRow, 'id' | 'email' | 'language'>,
  meta: RequestMeta,
): Promise<void> {
  if (!account.email) return;
  await deps.outbox.enqueue(tx, {
    channel: 'email', to: account.email, kind: 'new_device_sign_in', language: account.language,
    params: { at: deps.clock.now().toISOString(), ip: meta.ip, userAgent: meta.userAgent, wasntMeUrl: await wasntMeLink(tx, deps, account.id) },
  });
}
