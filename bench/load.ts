// The load generator, in its own process so that it does not share the server's event loop.
// Reads { url, connections, seconds, amount?, method?, path, headers?, bodies? } as JSON from
// argv[2] (bodies are sent in turn, one per request; with `amount`, that many requests and no
// more, however long they take: single-use bodies such as reset links are each sent once);
// prints the result as JSON: requests per second
// of every answer and of the 2xx ones, the count of each status, and p99 of the answers that
// were not 503 (an overload refusal is immediate and would flatter the latency).
import autocannon from 'autocannon';

interface LoadSpec {
  url: string; connections: number; seconds: number; amount?: number; method?: 'GET' | 'POST'; path: string;
  headers?: Record<string, string>; bodies?: string[];
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
const bodies = spec.bodies ?? [];
let next = 0;
const latencies: number[] = [];
const statuses: Record<string, number> = {};
let finish: (result: autocannon.Result) => void = () => undefined;
const done = new Promise<autocannon.Result>((resolve) => { finish = resolve; });
const started = performance.now();
const instance = autocannon({
  url: spec.url, connections: spec.connections, duration: spec.seconds, ...(spec.amount ? { amount: spec.amount } : {}),
  requests: [{
    method: spec.method ?? 'POST', path: spec.path,
    headers: { ...(bodies.length > 0 ? { 'content-type': 'application/json' } : {}), ...spec.headers },
    ...(bodies.length > 0 ? { setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }) } : {}),
  }],
}, (error, result) => {
  if (error) throw error;
  finish(result);
});
instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
  statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  if (statusCode !== 503) latencies.push(responseTime);
});
const result = await done;
const seconds = spec.amount ? (performance.now() - started) / 1000 : spec.seconds;
latencies.sort((a, b) => a - b);
const answered = Object.values(statuses).reduce((a, b) => a + b, 0);
const ok = Object.entries(statuses).filter(([code]) => code.startsWith('2')).reduce((sum, [, n]) => sum + n, 0);
process.stdout.write(JSON.stringify({
  requestsPerSecond: answered / seconds,
  okPerSecond: ok / seconds,
  statuses,
  non2xx: answered - ok,
  errors: result.errors + result.timeouts,
  p99Ms: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0,
}));
