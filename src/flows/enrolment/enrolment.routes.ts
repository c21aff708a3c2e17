// Enrolment API for an administration's token: POST /api/v1/enrolments (JSON or CSV) and the
// list of the administration's own workers.
import { Readable, Transform } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.ts';
import { requireApiRole } from '../../web/api-auth.ts';
import { requestField } from '../../web/request-field.ts';
import { requestMeta } from '../../web/request-meta.ts';
import type { FlowDeps } from '../deps.ts';
import { findAdministration, listWorkers } from './enrolment.repo.ts';
import { enrolWorkers, maxRowsPerRequest, type Administration } from './enrolment.steps.ts';
import { firstAccessState } from './first-access-state.ts';
import { BadHeaderError, csvRows, jsonRows } from './worker-source.ts';

/** 100,000 rows of about 120 bytes with room to spare; the rest of the API keeps 1 MiB. */
export const enrolmentBodyLimit = 32 * 1024 * 1024;

const Text = Type.Optional(Type.String({ maxLength: 300 }));
const WorkerBody = Type.Object(
  { codiceFiscale: Text, firstName: Text, lastName: Text, email: Text, mobile: Text, birthDate: Text },
  { additionalProperties: false },
);
const EnrolmentBody = Type.Object({ workers: Type.Array(WorkerBody, { maxItems: maxRowsPerRequest }) }, { additionalProperties: false });
const Summary = Type.Object({
  created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(),
  rejected: Type.Array(Type.Object({ row: Type.Integer(), code: Type.String(), field: Type.Optional(Type.String()) })),
});
const WorkersQuery = Type.Object({
  after: Type.Optional(Type.String({ maxLength: 16 })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
}, { additionalProperties: false });

const security = [{ bearerAuth: [] }];

/** Counts bytes as they stream: the CSV parser never sees more than the route allows. */
function limitBytes(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limit) callback(new AppError('invalid_request', { errors: [{ field: '(body)', message: 'body too large' }] }));
      else callback(null, chunk);
    },
  });
}

async function administrationOf(deps: FlowDeps, request: FastifyRequest): Promise<Administration> {
  const principal = await requireApiRole(deps.db, request, 'administration');
  const administration = principal.subjectId ? await findAdministration(deps.db, principal.subjectId) : null;
  if (!administration) throw new AppError('forbidden');
  return administration;
}

const WorkersPage = Type.Object({
  workers: Type.Array(Type.Object({
    codiceFiscale: Type.String(), firstName: Type.String(), lastName: Type.String(), email: Type.Union([Type.String(), Type.Null()]),
    mobile: Type.Union([Type.String(), Type.Null()]), enrolledAt: Type.String(), firstAccess: Type.String(),
  })),
  next: Type.Union([Type.String(), Type.Null()]),
});

export async function enrolmentApiRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  // Scoped to this plugin: the CSV body is handed on as a stream, parsed while it arrives.
  app.addContentTypeParser('text/csv', (request, payload, done) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > enrolmentBodyLimit) return done(new AppError('invalid_request', { errors: [{ field: '(body)', message: 'body too large' }] }));
    done(null, payload.pipe(limitBytes(enrolmentBodyLimit)));
  });

  app.post('/api/v1/enrolments', {
    bodyLimit: enrolmentBodyLimit,
    // Authentication before the body is read: an unknown caller cannot make us parse anything.
    onRequest: async (request) => void (await administrationOf(deps, request)),
    schema: {
      tags: ['enrolment'], security, response: { 200: Summary },
      // Each content type its own schema: the JSON body is checked whole, the CSV one row by row.
      body: { content: { 'application/json': { schema: EnrolmentBody }, 'text/csv': { schema: {} } } },
    },
  }, async (request) => {
    const administration = await administrationOf(deps, request);
    // The CSV parser above hands on a stream; a JSON body was checked against EnrolmentBody.
    const body = request.body;
    const workers = requestField(body, 'workers');
    const rows = body instanceof Readable ? csvRows(body) : jsonRows(Array.isArray(workers) ? workers : []);
    try {
      return await enrolWorkers(deps, administration, rows, requestMeta(request));
    } catch (error) {
      if (error instanceof BadHeaderError) throw new AppError('invalid_request', { errors: [{ field: '(header)', message: error.message }] });
      throw error;
    }
  });

  app.withTypeProvider<TypeBoxTypeProvider>().get('/api/v1/enrolments/workers', { schema: { tags: ['enrolment'], security, querystring: WorkersQuery, response: { 200: WorkersPage } } }, async (request, reply) => {
    const administration = await administrationOf(deps, request);
    const query = request.query;
    const limit = Math.min(Math.max(Number(query.limit ?? 100), 1), 1000);
    const rows = await listWorkers(deps.db, administration.id, { after: query.after ?? '', limit });
    reply.header('Cache-Control', 'no-store');
    return {
      workers: rows.map((row) => ({ codiceFiscale: row.codice_fiscale, firstName: row.first_name, lastName: row.last_name, email: row.email,
        mobile: row.mobile, enrolledAt: row.enrolled_at.toISOString(), firstAccess: firstAccessState(row) })),
      next: rows.length === limit ? rows.at(-1)!.codice_fiscale : null,
    };
  });
}
