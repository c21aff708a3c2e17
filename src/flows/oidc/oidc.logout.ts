// RP-initiated logout ends the Varco session too: when the citizen confirms the sign-out
// ("yes") the session row is deleted and its cookie cleared in the same response.
import type { Middleware } from 'koa';
import { recordAudit } from '../../store/audit.repo.ts';
import { deleteSession } from '../../store/sessions.repo.ts';
import type { FlowDeps } from '../deps.ts';
import { runtimeOf } from './oidc.runtime.ts';

export function endVarcoSessionAfterLogout(deps: FlowDeps): Middleware {
  return async (ctx, next) => {
    await next();
    const oidc = (ctx as unknown as { oidc?: { route?: string; params?: { logout?: string } } }).oidc;
    if (oidc?.route !== 'end_session_confirm' || ctx.status !== 303 || !oidc.params?.logout) return;
    const runtime = runtimeOf(ctx.req);
    const citizen = runtime?.citizen;
    if (!runtime || !citizen) return;
    await deps.db.transaction(async (tx) => {
      await deleteSession(tx, citizen.idHash);
      await recordAudit(tx, deps.clock.now(), {
        type: 'sign_out', actor: `citizen:${citizen.account.codice_fiscale}`, accountId: citizen.account.id,
        ip: ctx.ip, userAgent: String(ctx.get('user-agent')).slice(0, 300), outcome: 'success', details: { via: 'oidc' },
      });
    });
    const secure = deps.config.env === 'production' ? '; Secure' : '';
    ctx.append('Set-Cookie', `${runtime.sessionCookieName}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure}`);
  };
}
