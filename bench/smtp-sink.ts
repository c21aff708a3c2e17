// An SMTP server in its own process for the outbox benchmark, so that receiving mail does
// not compete with the worker for the same event loop. Prints its port, then accepts all.
import { startSmtp } from '../test/helpers/smtp.ts';

const received: unknown[] = [];
const server = await startSmtp(received as never[]);
setInterval(() => { received.length = 0; }, 1000).unref();
process.stdout.write(`${server.port}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
