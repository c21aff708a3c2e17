// An HTTP SMS gateway stub that keeps what it receives and can fail or hang on demand.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SmsRequest { to: string; text: string; idempotencyKey: string }

/** A gateway that answers from a script: 'fail' → 500, 'hang' → no answer, else 200. */
export function startSmsGateway(requests: SmsRequest[], script: string[]): Promise<Server & { url: string }> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => { body += chunk.toString('utf8'); });
    request.on('end', () => {
      requests.push(JSON.parse(body) as SmsRequest);
      const step = script.shift() ?? 'ok';
      if (step === 'hang') return;
      if (step === 'fail') return void response.writeHead(500).end();
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `sms-${requests.length}` }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve(Object.assign(server, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/send` }));
  }));
}

