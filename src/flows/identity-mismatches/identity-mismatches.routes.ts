// Operator API and desk page for identity mismatches (issue 10), under the desk conventions
// of shared/API.md: operator token or back-office session, paths under /api/v1/desk/ and /desk/.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { fieldErrors, formBody, formRoute, type FormErrors } from '../../web/form-route.ts';
import { currentOperator } from '../../web/operator-session.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { requestMeta } from '../../web/request-meta.ts';
import type { FlowDeps } from '../deps.ts';
import { listIdentityMismatches, reviewIdentityMismatch } from './identity-mismatches.steps.ts';
import { mismatchesBody, type MismatchForm } from './views/identity-mismatches.page.ts';

const security = [{ bearerAuth: [] }];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid', maxLength: 36 }) });
const Status = Type.Union([Type.Literal('open'), Type.Literal('reviewed')]);
const PersonalData = Type.Object({ firstName: Type.String(), lastName: Type.String(), birthDate: Type.Union([Type.String(), Type.Null()]) });
const Mismatch = Type.Object({
  id: Type.String(), codiceFiscale: Type.String(), method: Type.String(), provider: Type.String(), fields: Type.Array(Type.String()),
  asserted: PersonalData, registered: PersonalData, firstSeenAt: Type.String(), lastSeenAt: Type.String(), occurrences: Type.Integer(), status: Status,
  review: Type.Union([Type.Object({ operatorId: Type.String(), note: Type.String(), reviewedAt: Type.String() }), Type.Null()]),
});
const ReviewBody = Type.Object({ note: Type.String({ minLength: 1, maxLength: 1000, pattern: '\\S' }) }, { additionalProperties: false });
const ReviewForm = formBody({ note: Type.Optional(Type.String({ maxLength: 1000 })) });
const PageQuery = Type.Object({ reviewed: Type.Optional(Type.String({ maxLength: 5 })), lang: Type.Optional(Type.String({ maxLength: 5 })) });

/** In the desk scope: every route has its operator. */
export async function identityMismatchApiRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/desk/identity-mismatches', {
    schema: { tags: ['desk'], security, querystring: Type.Object({ status: Type.Optional(Status) }, { additionalProperties: false }),
      response: { 200: Type.Object({ mismatches: Type.Array(Mismatch) }) } },
  }, async (request) => ({ mismatches: await listIdentityMismatches(deps, request.query.status ?? 'open') }));

  app.post('/api/v1/desk/identity-mismatches/:id/review', {
    schema: { tags: ['desk'], security, params: IdParams, body: ReviewBody, response: { 200: Mismatch } },
  }, async (request) => reviewIdentityMismatch(deps, currentOperator(request), request.params.id, request.body.note.trim(), requestMeta(request)));
}

function render(request: FastifyRequest, reply: FastifyReply, entries: Awaited<ReturnType<typeof listIdentityMismatches>>, form: MismatchForm = {}, status = 200, notice?: string) {
  const ctx = pageContext(request, reply);
  return sendPage(reply, ctx, { title: ctx.t('mismatches.title'), body: mismatchesBody(ctx, entries, form, notice) }, status);
}

/** The back office (desk pages scope). */
export async function identityMismatchPageRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/desk/mismatches', { schema: { hide: true, querystring: PageQuery } }, async (request, reply) =>
    render(request, reply, await listIdentityMismatches(deps, 'open'), {}, 200, request.query.reviewed ? request.t('mismatches.reviewed') : undefined));

  formRoute(app, '/desk/mismatches/:id/review', {
    body: ReviewForm,
    params: IdParams,
    message: (request, error) => (error.code === 'conflict' ? request.t('mismatches.error.conflict') : undefined),
    run: async (request, reply) => {
      const note = (request.body.note ?? '').trim();
      const refused = fieldErrors(note ? [] : [{ field: 'note', text: request.t('mismatches.error.note') }]);
      if (refused) throw refused;
      await reviewIdentityMismatch(deps, currentOperator(request), request.params.id, note, requestMeta(request));
      return redirectTo(reply, '/desk/mismatches?reviewed=1');
    },
    render: async (request, reply, { values, errors, status }) => {
      // The note's error belongs to the form of this mismatch (each form has its own field id).
      const { note, ...rest } = errors;
      const keyed: FormErrors = note ? { ...rest, [`note-${request.params.id}`]: note } : rest;
      return render(request, reply, await listIdentityMismatches(deps, 'open'), { id: request.params.id, values, errors: keyed }, status);
    },
  });
}
