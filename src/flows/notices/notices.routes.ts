// GET /wasnt-me/<token>: the confirmation page (changes nothing: mail scanners open links);
// POST /wasnt-me/<token> (CSRF form): every session ends, then the ways to recovery.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppError } from '../../domain/errors.ts';
import { formBody, pageOrProblem } from '../../web/form-route.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { requestMeta } from '../../web/request-meta.ts';
import { clearSessionCookie } from '../../web/session.ts';
import type { FlowDeps } from '../deps.ts';
import { confirmBody, doneBody, linkProblemBody } from './views/wasnt-me.pages.ts';
import { checkWasntMeLink, reportNotMe } from './wasnt-me.ts';

const TokenParams = Type.Object({ token: Type.String({ minLength: 43, maxLength: 43, pattern: '^[A-Za-z0-9_-]+$' }) });

function linkProblem(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  const ctx = pageContext(request, reply);
  return sendPage(reply, ctx, { title: ctx.t('notices.link.title'), body: linkProblemBody(ctx) }, error.status);
}

export async function noticesPageRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/wasnt-me/:token', { schema: { hide: true, params: TokenParams } }, async (request, reply) =>
    pageOrProblem(request, reply, async () => {
      await checkWasntMeLink(deps, request.params.token);
      const ctx = pageContext(request, reply);
      return sendPage(reply, ctx, { title: ctx.t('notices.notMe.title'), body: confirmBody(ctx, request.params.token) });
    }, (error) => linkProblem(request, reply, error)));

  app.post('/wasnt-me/:token', { schema: { hide: true, params: TokenParams, body: formBody({}) } }, async (request, reply) =>
    pageOrProblem(request, reply, async () => {
      await reportNotMe(deps, request.params.token, requestMeta(request));
      clearSessionCookie(reply, deps.config);
      request.citizen = null; // the page after it is an anonymous one
      const ctx = pageContext(request, reply);
      return sendPage(reply, ctx, { title: ctx.t('notices.done.title'), body: doneBody(ctx) });
    }, (error) => linkProblem(request, reply, error)));
}
