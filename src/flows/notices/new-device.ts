// S30: a sign-in from a browser the account has not used before sends a notice to the
// registered email, with when, which device, from where, and the "this wasn't me" link. The
// very first device of an account is learnt silently (its first sign-in is no news). Runs in
// the transaction that opens the session, so the session, the device and the notice commit
// together.
import { deviceHashOf, deviceTokenFor } from '../../domain/device.ts';
import type { AccountRow } from '../../store/accounts.repo.ts';
import type { Queryable } from '../../store/db.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { rememberDevice } from './known-devices.repo.ts';
import { wasntMeLink } from './wasnt-me.ts';

export async function noticeNewDevice(
  tx: Queryable,
  deps: Pick<FlowDeps, 'clock' | 'random' | 'config' | 'outbox'>,
  account: Pick<AccountRow, 'id' | 'email' | 'language'>,
  sessionId: string,
  meta: RequestMeta,
): Promise<void> {
  const now = deps.clock.now();
  const deviceHash = meta.deviceHash ?? deviceHashOf(deviceTokenFor(sessionId));
  const { isNew, knewOthers } = await rememberDevice(tx, { accountId: account.id, deviceHash, userAgent: meta.userAgent }, now);
  if (!isNew || !knewOthers || !account.email) return;
  await deps.outbox.enqueue(tx, {
    channel: 'email', to: account.email, kind: 'new_device_sign_in', language: account.language,
    params: { at: now.toISOString(), ip: meta.ip, userAgent: meta.userAgent, wasntMeUrl: await wasntMeLink(tx, deps, account.id) },
  });
}
