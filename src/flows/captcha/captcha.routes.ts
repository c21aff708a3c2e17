// GET /api/v1/captcha: a challenge for JSON clients; pages embed captchaField().
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { FlowDeps } from '../deps.ts';
import { issueCaptcha } from './captcha.steps.ts';

export async function captchaRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  app.get('/api/v1/captcha', {
    schema: {
      tags: ['captcha'],
      description: 'A one-time challenge; answer with "captcha": "<challenge>:<answer>" within 10 minutes.',
      response: { 200: Type.Object({ challenge: Type.String(), question: Type.String() }) },
    },
  }, async (request) => issueCaptcha(deps, request.lang));
}
