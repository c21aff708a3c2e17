// The first-access path of an enrolled worker (issue 12) for tests: enrolment by an
// administration, the desk's temporary password, and the codes the mailbox received.
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { adminToken, mailbox } from './app.ts';
import { pdf } from './documents.ts';
import { multipart } from './multipart.ts';
import { createOperator } from './operator.ts';

export interface Worker {
  codiceFiscale: string;
  email: string;
  mobile: string;
}

export async function enrolWorker(app: FastifyInstance, worker: Worker, code = 'NOIPA'): Promise<string> {
  const created = await app.inject({ method: 'POST', url: '/api/v1/admin/administrations', headers: { authorization: `Bearer ${adminToken}` },
    payload: { code, name: 'NoiPA' } });
  const token = created.json().apiToken as string;
  const csv = `codiceFiscale;nome;cognome;email;cellulare\n${worker.codiceFiscale};Nicolò;D'Angelo;${worker.email};${worker.mobile}\n`;
  const enrolled = await app.inject({ method: 'POST', url: '/api/v1/enrolments', payload: csv,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' } });
  assert.equal(enrolled.json().created, 1, enrolled.body);
  return token;
}

/** The desk path: request with document, email confirmation, operator's temporary password. Returns it. */
export async function temporaryPasswordFromDesk(app: FastifyInstance, worker: Worker, operatorCf = 'VRDLGU80A01F205T'): Promise<string> {
  const body = multipart({ codiceFiscale: worker.codiceFiscale, email: worker.email, category: 'first_access', message: 'Primo accesso dopo l’iscrizione.' },
    { name: 'document', filename: 'carta.pdf', type: 'application/pdf', bytes: pdf() });
  const requested = await app.inject({ method: 'POST', url: '/api/v1/assistance/requests', ...body });
  assert.equal(requested.statusCode, 202, requested.body);
  const confirmMail = (await mailbox(app, worker.email)).filter((m) => m.kind === 'assistance_confirm').at(-1);
  const token = /\/assistance\/confirm\/([A-Za-z0-9_-]+)/.exec(confirmMail?.text ?? '')?.[1];
  assert.ok(token, 'confirmation link emailed');
  assert.equal((await app.inject({ method: 'POST', url: '/api/v1/assistance/confirm', payload: { token } })).statusCode, 200);
  const operator = await createOperator(app, operatorCf);
  const auth = { authorization: `Bearer ${operator}` };
  const queue = await app.inject({ method: 'GET', url: '/api/v1/desk/requests?status=confirmed', headers: auth });
  const request = (queue.json().requests as { id: string; codiceFiscale: string }[]).find((r) => r.codiceFiscale === worker.codiceFiscale);
  assert.ok(request, 'the request is in the operators’ queue');
  const resolved = await app.inject({ method: 'POST', url: `/api/v1/desk/requests/${request.id}/resolve`, headers: auth,
    payload: { outcome: 'temporary_password', identityVerified: true, note: 'documento conforme' } });
  assert.equal(resolved.statusCode, 200, resolved.body);
  const mail = (await mailbox(app, worker.email)).filter((m) => m.kind === 'temporary_password').at(-1);
  const password = /:\n(\S+)\n/.exec(mail?.text ?? '')?.[1];
  assert.ok(password, 'temporary password emailed on its own line');
  return password;
}

/** The latest verification code sent to an address or number. */
export async function latestCode(app: FastifyInstance, to: string): Promise<string> {
  const message = (await mailbox(app, to)).filter((m) => m.kind === 'contact_verification_code').at(-1);
  const code = /(?:^|\D)(\d{6})(?:\D|$)/.exec(message?.text ?? '')?.[1];
  assert.ok(code, `a code was sent to ${to}`);
  return code;
}
