// The administration's pages under /administration (pages scope: form bodies, CSRF on every
// POST). Sign-in and sign-out are open; everything else needs the administration's web
// session and shows only that administration's data.
import fastifyMultipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.ts';
import type { Html } from '../../web/html.ts';
import { fieldError, formBody, formRoute } from '../../web/form-route.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { requestMeta } from '../../web/request-meta.ts';
import type { FlowDeps } from '../deps.ts';
import { listWorkers } from '../enrolment/enrolment.repo.ts';
import type { Rejection } from '../enrolment/worker-row.ts';
import {
  administrationOfSession, signInAdministration, signOutAdministration, type SignedInAdministration,
} from './administration-session.ts';
import { findJob, jobRejections, recentJobs } from './enrolment-jobs.repo.ts';
import { jobView, maxUploadBytes, queueUpload } from './enrolment-jobs.ts';
import { homeBody, jobBody, progressStylesheet, refreshesItself, refreshSeconds, signInBody, workersBody } from './views/administration.pages.ts';

type Deps = FlowDeps;
type Ctx = ReturnType<typeof pageContext>;

export function administrationCookieName(config: Pick<FlowDeps['config'], 'env'>): string {
  return config.env === 'production' ? '__Host-varco_adm' : 'varco_adm';
}

const SignInForm = formBody({ token: Type.Optional(Type.String({ maxLength: 200 })) });
const UploadForm = formBody({});
const JobParams = Type.Object({ id: Type.String({ format: 'uuid', maxLength: 36 }) });
const JobQuery = Type.Object({ refresh: Type.Optional(Type.Union([Type.Literal('on'), Type.Literal('off')])), lang: Type.Optional(Type.String({ maxLength: 5 })) });
const WorkersQuery = Type.Object({
  after: Type.Optional(Type.String({ maxLength: 16 })), lang: Type.Optional(Type.String({ maxLength: 5 })),
});
const workersPerPage = 50;

function render(request: FastifyRequest, reply: FastifyReply, title: string | ((ctx: Ctx) => string), body: (ctx: Ctx) => Html, status = 200) {
  const ctx = pageContext(request, reply);
  return sendPage(reply, ctx, { title: typeof title === 'string' ? title : title(ctx), body: body(ctx) }, status);
}

const signedIn = new WeakMap<FastifyRequest, SignedInAdministration>();

function administrationOf(request: FastifyRequest): SignedInAdministration {
  const administration = signedIn.get(request);
  if (!administration) throw new AppError('unauthenticated');
  return administration;
}

/** The rejection report: one line a rejected row, with a description in the page's language. */
function rejectionCsv(request: FastifyRequest, rejections: readonly Rejection[]): string {
  const quote = (value: string) => (/[",;\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const lines = rejections.map((r) => [String(r.row), r.code, r.field ?? '', request.t(`adm.rejection.${r.code}`)].map(quote).join(','));
  // The byte-order mark makes spreadsheet programs read the accents as UTF-8.
  return `\uFEFF${['row,code,field,description', ...lines].join('\r\n')}\r\n`;
}

export async function administrationPageRoutes(plain: FastifyInstance, deps: Deps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const cookie = administrationCookieName(deps.config);

  app.get('/administration/progress.css', { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('Cache-Control', 'public, max-age=86400').send(progressStylesheet()));

  app.get('/administration/signin', { schema: { hide: true } }, (request, reply) =>
    render(request, reply, (ctx) => ctx.t('adm.signin.title'), (ctx) => signInBody(ctx)));

  formRoute(app, '/administration/signin', {
    body: SignInForm,
    secrets: ['token'],
    fields: { invalid_credentials: 'token' },
    message: (request, error) => (error.code === 'invalid_credentials' ? request.t('adm.signin.invalid') : undefined),
    run: async (request, reply) => {
      const sessionId = await signInAdministration(deps, request.body.token ?? '', requestMeta(request));
      reply.setCookie(cookie, sessionId, { path: '/', httpOnly: true, sameSite: 'strict', secure: deps.config.env === 'production' });
      return redirectTo(reply, '/administration');
    },
    render: (request, reply, { errors, status }) => render(request, reply, (ctx) => ctx.t('adm.signin.title'), (ctx) => signInBody(ctx, { errors }), status),
  });

  app.post('/administration/signout', { schema: { hide: true, body: formBody({}) } }, async (request, reply) => {
    await signOutAdministration(deps, request.cookies[cookie]);
    reply.clearCookie(cookie, { path: '/' });
    return redirectTo(reply, '/administration/signin');
  });

  await app.register(async (inner) => signedInRoutes(inner, deps, cookie));
}

async function signedInRoutes(plain: FastifyInstance, deps: Deps, cookie: string): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  await app.register(fastifyMultipart, { limits: { fileSize: maxUploadBytes, files: 1, fields: 2, fieldSize: 200, parts: 3 } });
  // After the pages scope's CSRF check: a forged post is refused before anything is read.
  app.addHook('preHandler', async (request, reply) => {
    const administration = await administrationOfSession(deps, request.cookies[cookie]);
    if (!administration) return redirectTo(reply, '/administration/signin');
    signedIn.set(request, administration);
    return undefined;
  });

  const home = async (request: FastifyRequest, reply: FastifyReply, errors?: Record<string, string>, status = 200) => {
    const administration = administrationOf(request);
    const now = deps.clock.now();
    const jobs = (await recentJobs(deps.db, administration.id, 10)).map((job) => ({ job, state: jobView(job, now) }));
    return render(request, reply, (ctx) => ctx.t('adm.home.title'), (ctx) => homeBody(ctx, { administration: administration.name, jobs, errors }), status);
  };

  app.get('/administration', { schema: { hide: true } }, (request, reply) => home(request, reply));

  formRoute(app, '/administration/uploads', {
    body: UploadForm,
    multipart: true,
    fields: { invalid_request: 'file' },
    run: async (request, reply) => {
      if (!request.isMultipart()) throw new AppError('unsupported_media_type');
      const file = await request.file();
      if (!file || !file.filename) throw fieldError('file', request.t('adm.upload.missing'));
      try {
        const id = await queueUpload(deps, administrationOf(request).id,
          { fileName: file.filename, stream: file.file, truncated: () => file.file.truncated }, requestMeta(request));
        return redirectTo(reply, `/administration/jobs/${id}`);
      } catch (thrown) {
        const reason = thrown instanceof AppError ? thrown.extras.reason : undefined;
        if (reason === 'too_large') throw fieldError('file', request.t('adm.upload.tooLarge'));
        if (reason === 'empty') throw fieldError('file', request.t('adm.upload.empty'));
        throw thrown;
      }
    },
    render: (request, reply, { errors, status }) => home(request, reply, errors as Record<string, string>, status),
  });

  app.get('/administration/jobs/:id', { schema: { hide: true, params: JobParams, querystring: JobQuery } }, async (request, reply) => {
    const administration = administrationOf(request);
    const job = await findJob(deps.db, administration.id, request.params.id);
    if (!job) throw new AppError('not_found');
    const state = jobView(job, deps.clock.now());
    const refresh = request.query.refresh ?? 'on';
    // The HTTP form of <meta http-equiv="refresh">: browsers reload the same URL without any script.
    if (refreshesItself(state, refresh)) reply.header('Refresh', String(refreshSeconds));
    return render(request, reply, (ctx) => ctx.t('adm.job.title'), (ctx) => jobBody(ctx, { administration: administration.name, job, state, refresh }));
  });

  app.get('/administration/jobs/:id/rejections.csv', { schema: { hide: true, params: JobParams } }, async (request, reply) => {
    const rejections = await jobRejections(deps.db, administrationOf(request).id, request.params.id);
    if (!rejections) throw new AppError('not_found');
    return reply.type('text/csv; charset=utf-8').header('Cache-Control', 'no-store').header('X-Content-Type-Options', 'nosniff')
      .header('Content-Disposition', `attachment; filename="rejections-${request.params.id}.csv"`).send(rejectionCsv(request, rejections));
  });

  app.get('/administration/workers', { schema: { hide: true, querystring: WorkersQuery } }, async (request, reply) => {
    const administration = administrationOf(request);
    const after = request.query.after ?? '';
    const workers = await listWorkers(deps.db, administration.id, { after, limit: workersPerPage });
    const next = workers.length === workersPerPage ? workers.at(-1)!.codice_fiscale : null;
    return render(request, reply, (ctx) => ctx.t('adm.workers.title'),
      (ctx) => workersBody(ctx, { administration: administration.name, workers, next, paged: after !== '' }));
  });
}
