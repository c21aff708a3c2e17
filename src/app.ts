// buildApp(deps) → a Fastify instance with every route, without listening: main.ts listens,
// tests use app.inject.
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { devOutboxRoutes } from './delivery/dev-outbox.routes.ts';
import { accountRoutes } from './flows/account/account.routes.ts';
import { adminRoutes } from './flows/admin/admin.routes.ts';
import { appointmentApiRoutes, appointmentPageRoutes } from './flows/appointments/appointments.routes.ts';
import { assistanceApiRoutes, assistancePageRoutes } from './flows/assistance/assistance.routes.ts';
import { contactsApiRoutes } from './flows/contacts/contacts.routes.ts';
import { deskApiRoutes, deskPageRoutes } from './flows/desk/desk.routes.ts';
import { enrolmentApiRoutes } from './flows/enrolment/enrolment.routes.ts';
import { captchaRoutes } from './flows/captcha/captcha.routes.ts';
import type { FlowDeps } from './flows/deps.ts';
import { operationsRoutes } from './flows/operations/operations.routes.ts';
import { profileCompletionPageRoutes } from './flows/profile-completion/profile-completion-pages.routes.ts';
import { profileCompletionApiRoutes } from './flows/profile-completion/profile-completion.routes.ts';
import { pinRecoveryApiRoutes, pinRecoveryPageRoutes } from './flows/pin-recovery/pin-recovery.routes.ts';
import { pinDeskRoutes } from './flows/pin/pin-desk.routes.ts';
import { pinApiRoutes, pinPageRoutes } from './flows/pin/pin.routes.ts';
import { passwordRecoveryApiRoutes } from './flows/password-recovery/password-recovery.routes.ts';
import { passwordRecoveryPageRoutes } from './flows/password-recovery/password-recovery-pages.routes.ts';
import { passwordChangeApiRoutes, passwordChangePageRoutes } from './flows/password-change/password-change.routes.ts';
import { signInApiRoutes, signInPageRoutes } from './flows/sign-in/sign-in.routes.ts';
import { crossSiteGuard } from './web/cross-site.ts';
import { errorPage } from './web/error-page.ts';
import { languagePlugin } from './web/language.ts';
import { loggerOptions } from './web/logging.ts';
import { csrfBinding, pageContext } from './web/page.ts';
import { registerErrorHandling } from './web/problem.ts';
import { securityHeaders } from './web/security-headers.ts';
import { textInputGuard } from './web/text-input.ts';
import { sessionPlugin } from './web/session.ts';

const bootstrapItaliaDir = fileURLToPath(new URL('../node_modules/bootstrap-italia/dist/', import.meta.url));
const ownStaticDir = fileURLToPath(new URL('./web/static/', import.meta.url));
const bodyLimitBytes = 1024 * 1024;

export interface AppOptions {
  logger?: boolean;
  /** Where logs go instead of stdout (the log-scanning security test reads them). */
  logStream?: DestinationStream;
}

export async function buildApp(deps: FlowDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : { ...loggerOptions(deps.config.logLevel), ...(options.logStream ? { stream: options.logStream } : {}) },
    bodyLimit: bodyLimitBytes,
    // Unknown fields are errors, not silently dropped; types are never coerced.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });
  // JSON endpoints take JSON only (S24): without this parser text/plain would reach them.
  app.removeContentTypeParser('text/plain');

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Varco API', version: '1.0.0', description: 'Identity and credential service (shared/API.md)' },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'varco_session' },
        },
      },
    },
  });
  await app.register(fastifyCookie);
  await app.register(crossSiteGuard, { publicUrl: deps.config.publicUrl });
  await app.register(textInputGuard);
  await app.register(securityHeaders, { production: deps.config.env === 'production' });
  await app.register(fastifyCsrf, {
    cookieKey: deps.config.env === 'production' ? '__Host-varco_csrf' : 'varco_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: deps.config.env === 'production' },
    getUserInfo: csrfBinding,
    csrfOpts: { hmacKey: deps.config.sessionSecret },
    // Multipart forms are parsed inside their handler, so their token travels in the query.
    getToken: (request) => {
      const body = request.body as { _csrf?: string } | undefined;
      return body?._csrf ?? (request.query as { _csrf?: string })._csrf ?? String(request.headers['x-csrf-token'] ?? '');
    },
  });
  await app.register(languagePlugin);
  await app.register(sessionPlugin, deps);
  await app.register(fastifyStatic, { root: bootstrapItaliaDir, prefix: '/static/bootstrap-italia/', maxAge: '1d' });
  await app.register(fastifyStatic, { root: ownStaticDir, prefix: '/static/', decorateReply: false, maxAge: '1h' });
  registerErrorHandling(app, errorPage);

  await app.register(operationsRoutes, deps);
  await app.register(signInApiRoutes, deps);
  await app.register(accountRoutes, deps);
  await app.register(passwordChangeApiRoutes, deps);
  await app.register(adminRoutes, deps);
  await app.register(captchaRoutes, deps);
  await app.register(passwordRecoveryApiRoutes, deps);
  await app.register(pinApiRoutes, deps);
  await app.register(pinRecoveryApiRoutes, deps);
  await app.register(pinDeskRoutes, deps);
  await app.register(assistanceApiRoutes, deps);
  await app.register(deskApiRoutes, deps);
  await app.register(appointmentApiRoutes, deps);
  await app.register(enrolmentApiRoutes, deps);
  await app.register(profileCompletionApiRoutes, deps);
  await app.register(contactsApiRoutes, deps);
  await app.register(async (pages) => {
    await pages.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
    await pages.register(signInPageRoutes, deps);
    await pages.register(passwordChangePageRoutes, deps);
    await pages.register(passwordRecoveryPageRoutes, deps);
    await pages.register(pinPageRoutes, deps);
    await pages.register(pinRecoveryPageRoutes, deps);
    await pages.register(deskPageRoutes, deps);
    await pages.register(assistancePageRoutes, deps);
    await pages.register(appointmentPageRoutes, deps);
    await pages.register(profileCompletionPageRoutes, deps);
  });
  if (deps.config.env !== 'production') await app.register(devOutboxRoutes, { db: deps.db, pageContext });
  return app;
}
