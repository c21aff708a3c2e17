// The channels against real peers: SMTP servers from smtp-server and an HTTP gateway on node:http.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../../config.ts';
import { describeDeliveryError } from './channel.ts';
import { devChannel } from './dev.channel.ts';
import { createEmailChannel } from './email.channel.ts';
import { createChannels } from './index.ts';
import { createSmsChannel, parseHeaderLine } from './sms.channel.ts';

const message = { id: '7d0c7c55-4f57-4a8e-9a55-0d5c1d7f0b3e', to: '+393331234567', kind: 'password_reset_code',
  subject: null, text: 'Varco: codice 123456', html: null };

async function listen(server: { listen(port: number, host: string, cb: () => void): unknown }, address: () => AddressInfo) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return address().port;
}

async function startGateway(answer: (body: string, headers: IncomingHttpHeaders) => [number, string] | null) {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => { body += chunk.toString('utf8'); });
    request.on('end', () => {
      const reply = answer(body, request.headers);
      if (reply) response.writeHead(reply[0], { 'content-type': 'application/json' }).end(reply[1]);
    });
  });
  const port = await listen(server, () => server.address() as AddressInfo);
  return { url: `http://127.0.0.1:${port}/sms`, close: () => { server.closeAllConnections(); server.close(); } };
}

test('SMS: JSON body with the idempotency key, the configured auth header, provider id from the answer', async () => {
  const seen: { body: unknown; auth: string | undefined }[] = [];
  const gateway = await startGateway((body, headers) => {
    seen.push({ body: JSON.parse(body), auth: headers['x-api-key'] as string | undefined });
    return [202, JSON.stringify({ id: 42 })];
  });
  try {
    const sent = await createSmsChannel(gateway.url, 'X-Api-Key:  s3cret ').send(message);
    assert.deepEqual(sent, { providerId: '42' });
    assert.deepEqual(seen, [{ body: { to: message.to, text: message.text, idempotencyKey: message.id }, auth: 's3cret' }]);
  } finally {
    gateway.close();
  }
});

test('SMS: a non-2xx answer and a timeout are failures described without the gateway text', async () => {
  let step = 0;
  const gateway = await startGateway(() => (step++ === 0 ? [503, '{"error":"code 123456 refused"}'] : null));
  try {
    const channel = createSmsChannel(gateway.url, undefined, 200);
    const refused = await channel.send(message).catch((error: unknown) => error);
    assert.equal(describeDeliveryError(refused), 'SMS gateway answered 503');
    const hung = await channel.send(message).catch((error: unknown) => error);
    assert.equal(describeDeliveryError(hung), 'timeout');
    const closed = createServer();
    const closedPort = await listen(closed, () => closed.address() as AddressInfo);
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await createSmsChannel(`http://127.0.0.1:${closedPort}/sms`, undefined).send(message).catch((error: unknown) => error);
    assert.match(describeDeliveryError(unreachable), /ECONNREFUSED/);
  } finally {
    gateway.close();
  }
});

test('SMS: an auth header without a name is refused at start', () => {
  assert.deepEqual(parseHeaderLine('Authorization: Bearer a:b'), ['Authorization', 'Bearer a:b']);
  for (const bad of ['Bearer xyz', ': value', 'Bad Name: v']) assert.throws(() => parseHeaderLine(bad), /Name: value/);
});

test('email: connections are pooled, and a refusal is stored as codes, not the server text', async () => {
  let connections = 0;
  let refuse = false;
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onConnect(_session, callback) { connections++; callback(); },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback(refuse ? Object.assign(new Error('rejected: Xk7pQ2mZr9Hd'), { responseCode: 554 }) : undefined));
    },
  });
  const port = await listen(server, () => (server as unknown as { server: { address(): AddressInfo } }).server.address());
  const channel = createEmailChannel(`smtp://127.0.0.1:${port}`, 'Varco <no-reply@varco.test>', { maxConnections: 3 });
  try {
    const mail = { ...message, to: 'anna@example.it', subject: 'Varco', html: '<p>x</p>' };
    const sent = await Promise.all(Array.from({ length: 12 }, (_, i) => channel.send({ ...mail, id: `id-${i}` })));
    assert.equal(sent[5]!.providerId, '<id-5@varco>');
    assert.ok(connections <= 3, `${connections} connections for 12 messages`);
    refuse = true;
    const error = await channel.send(mail).catch((e: unknown) => e);
    assert.equal(describeDeliveryError(error), 'Error EMESSAGE SMTP 554');
  } finally {
    channel.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('createChannels: development without settings, PEC through the email pool unless it has its own', () => {
  const dev = createChannels(loadConfig({}));
  assert.deepEqual([dev.email, dev.pec, dev.sms], [devChannel, devChannel, devChannel]);
  const shared = createChannels(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525', SMS_GATEWAY_URL: 'http://127.0.0.1:9/sms' }));
  assert.equal(shared.pec, shared.email);
  assert.notEqual(shared.sms, devChannel);
  const own = createChannels(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525', PEC_SMTP_URL: 'smtps://pec.example.it' }));
  assert.notEqual(own.pec, own.email);
  assert.equal(own.sms, devChannel);
  for (const channels of [shared, own]) for (const channel of new Set(Object.values(channels))) channel.close?.();
});
