// Platform administration API (platform-admin token).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.ts';
import { normaliseMobile } from '../../domain/phone.ts';
import { requestMeta } from '../../web/request-meta.ts';
import type { FlowDeps } from '../deps.ts';
import { createAdministration, createOperator, registerAtCounter } from './admin.steps.ts';

const Name = Type.String({ minLength: 1, maxLength: 100 });
const Email = Type.String({ format: 'email', maxLength: 254 });
const CodiceFiscaleField = Type.String({ maxLength: 40 });

const AdministrationBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_.-]+$' }), name: Name },
  { additionalProperties: false },
);
const AccountBody = Type.Object(
  {
    codiceFiscale: CodiceFiscaleField,
    firstName: Name,
    lastName: Name,
    email: Type.Optional(Email),
    mobile: Type.Optional(Type.String({ maxLength: 30 })),
    pec: Type.Optional(Email),
    birthDate: Type.Optional(Type.String({ format: 'date', maxLength: 10 })),
    temporaryPassword: Type.Optional(Type.String({ minLength: 8, maxLength: 64 })),
  },
  { additionalProperties: false },
);
const OperatorBody = Type.Object(
  { codiceFiscale: CodiceFiscaleField, firstName: Name, lastName: Name, email: Email,
    password: Type.Optional(Type.String({ minLength: 12, maxLength: 256, description: 'for the back-office pages' })) },
  { additionalProperties: false },
);

const security = [{ bearerAuth: [] }];

/** In the admin scope: the platform-admin token is checked before the body is validated. */
export async function adminRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();

  app.post('/api/v1/admin/administrations', {
    schema: { tags: ['admin'], security, body: AdministrationBody,
      response: { 201: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), apiToken: Type.String() }) } },
  }, async (request, reply) => {
    const created = await createAdministration(deps, request.body, requestMeta(request));
    return reply.status(201).header('Cache-Control', 'no-store').send(created);
  });

  app.post('/api/v1/admin/accounts', {
    schema: { tags: ['admin'], security, body: AccountBody, response: { 201: Type.Object({ codiceFiscale: Type.String() }) } },
  }, async (request, reply) => {
    const body = request.body;
    const mobile = body.mobile === undefined ? null : normaliseMobile(body.mobile);
    if (body.mobile !== undefined && mobile === null) {
      throw new AppError('invalid_request', { errors: [{ field: 'mobile', message: 'not a valid mobile number' }] });
    }
    const created = await registerAtCounter(deps, { ...body, mobile }, requestMeta(request));
    return reply.status(201).send(created);
  });

  app.post('/api/v1/admin/operators', {
    schema: { tags: ['admin'], security, body: OperatorBody,
      response: { 201: Type.Object({ id: Type.String(), apiToken: Type.String() }) } },
  }, async (request, reply) => {
    const created = await createOperator(deps, request.body, requestMeta(request));
    return reply.status(201).header('Cache-Control', 'no-store').send(created);
  });
}
