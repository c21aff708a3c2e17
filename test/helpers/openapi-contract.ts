// Every response a suite receives through app.inject is checked against the app's own
// /openapi.json when the test app closes: the status must be documented for that method and
// path, the media type must be one documented for that status, and a JSON body must match
// the documented schema (ajv). A disagreement fails the suite that met it, so the
// description cannot drift from the service (issue 13: "/openapi.json disagrees").
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

interface Seen {
  method: string;
  url: string;
  status: number;
  contentType: string;
  body: string;
}

interface OpenApiResponse {
  content?: Record<string, { schema?: object }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, OpenApiResponse> }>>;
}

/** Wraps app.inject so that every response is remembered for the check. */
export function recordResponses(app: FastifyInstance): Seen[] {
  const seen: Seen[] = [];
  const inject = app.inject.bind(app) as (options: unknown) => Promise<LightMyRequestResponse>;
  const recording = async (options: unknown) => {
    const response = await inject(options);
    const request = response.raw.req;
    seen.push({
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      status: response.statusCode,
      contentType: String(response.headers['content-type'] ?? ''),
      body: response.body,
    });
    return response;
  };
  (app as unknown as { inject: typeof recording }).inject = recording;
  return seen;
}

function pathMatchers(doc: OpenApiDocument) {
  return Object.keys(doc.paths)
    .map((path) => ({
      path,
      params: (path.match(/\{/g) ?? []).length,
      regex: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }))
    .sort((a, b) => a.params - b.params);
}

const pointer = (segment: string) => encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));

/** The disagreements between what was seen and the description, one line each. */
export function contractViolations(doc: OpenApiDocument, seen: Seen[]): string[] {
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
  addFormats.default(ajv);
  ajv.addSchema(doc, 'openapi');
  const matchers = pathMatchers(doc);
  const problems = new Map<string, string>();
  for (const response of seen) {
    const method = response.method.toLowerCase();
    if (method === 'head' || method === 'options') continue;
    const pathname = response.url.split('?')[0] ?? '/';
    const match = matchers.find((m) => m.regex.test(pathname));
    const key = (reason: string) => `${response.method} ${match?.path ?? pathname} ${response.status}: ${reason}`;
    if (!match) {
      // Pages and protocol endpoints are not in the description; an API path must be.
      if (pathname.startsWith('/api/') && response.status !== 404) problems.set(key('undocumented path'), key('undocumented path'));
      continue;
    }
    const operation = doc.paths[match.path]?.[method];
    if (!operation) {
      if (response.status !== 404) problems.set(key('undocumented method'), key('undocumented method'));
      continue;
    }
    const status = String(response.status);
    const documented = operation.responses?.[status] ?? operation.responses?.default;
    if (!documented) {
      problems.set(key('status not documented'), `${key('status not documented')} (${response.body.slice(0, 160)})`);
      continue;
    }
    const media = response.contentType.split(';')[0]?.trim() ?? '';
    if (!documented.content) {
      if (response.body.length > 0) problems.set(key('body where none is documented'), `${key('body where none is documented')} (${media})`);
      continue;
    }
    if (!documented.content[media]) {
      problems.set(key(`media type ${media || '(none)'} not documented`), key(`media type ${media || '(none)'} not documented`));
      continue;
    }
    if (!media.includes('json') || !documented.content[media].schema) continue;
    const ref = `openapi#/paths/${pointer(match.path)}/${method}/responses/${status}/content/${pointer(media)}/schema`;
    const validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`no schema at ${ref}`);
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      problems.set(key('body is not JSON'), key('body is not JSON'));
      continue;
    }
    if (!validate(body)) {
      const detail = (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message} ${JSON.stringify(e.params)}`).join('; ');
      problems.set(key(detail), `${key('body does not match the schema')}: ${detail} in ${response.body.slice(0, 200)}`);
    }
  }
  return [...problems.values()];
}

/** Fetches the app's description and fails with every disagreement (call before closing). */
export async function assertResponsesMatchOpenApi(app: FastifyInstance, seen: Seen[]): Promise<void> {
  if (seen.length === 0) return;
  const recorded = seen.splice(0);
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApiDocument;
  seen.length = 0;
  const violations = contractViolations(doc, recorded);
  assert.deepEqual(violations, [], `responses that /openapi.json does not describe:\n${violations.join('\n')}`);
}
