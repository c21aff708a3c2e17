import type { FastifyInstance } from 'fastify';
import { adminToken } from './app.ts';

/** Creates an operator through the platform-admin API and returns its bearer token. */
export async function createOperator(app: FastifyInstance, codiceFiscale = 'VRDLGU80A01F205T'): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/admin/operators', headers: { authorization: `Bearer ${adminToken}` },
    payload: { codiceFiscale, firstName: 'Luigi', lastName: 'Verdi', email: 'operatore@example.it' } });
  if (response.statusCode !== 201) throw new Error(`operator not created: ${response.body}`);
  return response.json().apiToken as string;
}
