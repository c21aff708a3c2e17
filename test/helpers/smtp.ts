// An in-process SMTP server that keeps what it receives (tests and the outbox benchmark).
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail { messageId: string; to: string; raw: string }
export type TestSmtpServer = SMTPServer & { port: number };

export function startSmtp(received: ReceivedMail[]): Promise<TestSmtpServer> {
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => { raw += chunk.toString('utf8'); });
      stream.on('end', () => {
        const messageId = /^Message-ID: (.+)$/im.exec(raw)?.[1]?.trim() ?? '';
        received.push({ messageId, to: session.envelope.rcptTo.map((r) => r.address).join(','), raw });
        callback();
      });
    },
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = (server as unknown as { server: { address(): AddressInfo } }).server.address();
    resolve(Object.assign(server, { port: address.port }));
  }));
}

