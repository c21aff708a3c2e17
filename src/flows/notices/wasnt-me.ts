// "This wasn't me" (S30): every security notice carries a one-time link. Opening it shows a
// page; confirming there (a POST, so that a mail scanner following links changes nothing)
// ends every session of the account, Varco's and the services' (OpenID Connect), forgets
// its devices, and leads to recovery or the desk. The link is a one-time secret of its own
// purpose: 256 bits, stored hashed, single use, expiring in a week. A credential change does
// not void it (it grants nothing; see voidAllSecretsOfAccountSql), nor does a later notice.
import { AppError } from '../../domain/errors.ts';
import { findAccountById } from '../../store/accounts.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import type { Queryable } from '../../store/db.ts';
import { deleteAccountSessions } from '../../store/sessions.repo.ts';
import { consumeSecret, findLink, issueSecret, linkProblem } from '../credentials/one-time-secret.ts';
import type { FlowDeps } from '../deps.ts';
import { deleteAccountArtefacts } from '../oidc/oidc-payloads.repo.ts';
import { requireWithinLimit } from '../rate-limit.ts';
import type { RequestMeta } from '../request-meta.ts';
import { forgetDevices } from './known-devices.repo.ts';

const linkTtlSeconds = 7 * 24 * 60 * 60; // a notice may be read days later

/** A new link for one notice; the caller puts it in the message it enqueues in the same transaction. */
export async function wasntMeLink(tx: Queryable, deps: Pick<FlowDeps, 'clock' | 'random' | 'config'>, accountId: string): Promise<string> {
  const issued = await issueSecret(tx, deps, { purpose: 'wasnt_me_link', accountId, flowId: null, ttlSeconds: linkTtlSeconds });
  return `${deps.config.publicUrl}/wasnt-me/${issued.secret}`;
}

/** S17: link tokens tried from one address, as for the other links. */
function limitTries(deps: Pick<FlowDeps, 'limiter' | 'clock' | 'config'>, meta: RequestMeta): Promise<void> {
  return requireWithinLimit(deps, `code:ip:${meta.ip}`, deps.config.codeEntryPerIpPerHour, 3600);
}

/** Whether the link can still be used (the landing page); 410 problems in the contract's words otherwise. */
export async function checkWasntMeLink(deps: Pick<FlowDeps, 'db' | 'clock' | 'limiter' | 'config'>, token: string, meta: RequestMeta): Promise<void> {
  await limitTries(deps, meta);
  const problem = linkProblem(await findLink(deps.db, 'wasnt_me_link', token), deps.clock.now());
  if (problem) throw new AppError(problem);
}

/** The citizen confirmed: every session ends, the devices are forgotten, the link is spent. */
export async function reportNotMe(deps: Pick<FlowDeps, 'db' | 'clock' | 'limiter' | 'config'>, token: string, meta: RequestMeta): Promise<{ ended: number }> {
  await limitTries(deps, meta);
  const now = deps.clock.now();
  const row = await findLink(deps.db, 'wasnt_me_link', token);
  const problem = linkProblem(row, now);
  if (problem || !row?.account_id) throw new AppError(problem ?? 'token_invalid');
  const accountId = row.account_id;
  const account = await findAccountById(deps.db, accountId);
  return deps.db.transaction(async (tx) => {
    if (!(await consumeSecret(tx, row.id, now))) throw new AppError('token_used');
    const ended = await deleteAccountSessions(tx, accountId);
    await deleteAccountArtefacts(tx, accountId);
    await forgetDevices(tx, accountId, now);
    await recordAudit(tx, now, { type: 'reported_not_me', actor: `citizen:${account?.codice_fiscale ?? 'unknown'}`, accountId, ...meta, outcome: 'success', details: { sessionsEnded: ended, via: 'notice_link' } });
    return { ended };
  });
}
