// The load generator, in its own process so that it does not share the server's event loop.
// Reads { url, connections, seconds, codici, password } as JSON from argv[2]; prints the result as JSON.
import autocannon from 'autocannon';

const { url, connections, seconds, codici, password } = JSON.parse(process.argv[2] ?? '{}') as {
  url: string; connections: number; seconds: number; codici: string[]; password: string;
};
let next = 0;
const result = await autocannon({
  url, connections, duration: seconds,
  requests: [{
    method: 'POST', path: '/api/v1/session', headers: { 'content-type': 'application/json' },
    setupRequest: (request) => ({ ...request, body: JSON.stringify({ codiceFiscale: codici[next++ % codici.length], password }) }),
  }],
});
process.stdout.write(JSON.stringify({
  requestsPerSecond: result.requests.average, non2xx: result.non2xx, errors: result.errors, p99Ms: result.latency.p99,
}));
