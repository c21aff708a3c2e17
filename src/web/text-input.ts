// S37 at the edge: every route's query, path parameters and parsed body are checked before
// validation, so no route can forget it; a multipart form checks its fields as it reads them
// (readCleanField). The answer is 400 invalid_request naming the field, never a 500.
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../domain/errors.ts';
import { firstUncleanField, isCleanText, tooDeepField } from '../domain/text-input.ts';

export function uncleanTextError(field: string): AppError {
  return new AppError('invalid_request', { errors: [{ field, message: 'control characters or invalid Unicode' }] });
}

export function requireCleanText(field: string, value: string): string {
  if (!isCleanText(value)) throw uncleanTextError(field);
  return value;
}

export const textInputGuard = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (request) => {
    for (const part of [request.params, request.query, request.body]) {
      // A streamed body (the enrolment CSV) is checked by its route, record by record, as it is parsed.
      if (Buffer.isBuffer(part) || part instanceof Readable) continue;
      const deep = tooDeepField(part);
      if (deep) throw new AppError('invalid_request', { errors: [{ field: deep, message: 'nested too deeply' }] });
      const field = firstUncleanField(part);
      if (field) throw uncleanTextError(field);
    }
  });
});
