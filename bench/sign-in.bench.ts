// Issue 14, in one run against the service in its own process (bench/service.ts): the argon2id
// ceiling of this machine (a loop doing nothing but verifications on every core, while the
// service idles), sign-ins at 8, 32 and 128 connections and at 512 (overload: the share of 503s,
// p99 of the rest), recovery starts per second and their timing (Mann–Whitney z, matching vs
// missing account, interleaved), reset completions, the sign-in page, GET /api/v1/me, peak RSS.
// Load comes from autocannon in a process of its own (bench/load.ts).
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import { argon2id, argon2Params } from '../src/adapters/argon2.hasher.ts';
import { mannWhitneyZ, median } from '../test/helpers/mann-whitney.ts';
import { figure, serviceExecArgv, typeScriptExecArgv, type Figure } from './figures.ts';
import { mainThreadCpuMs, postgresCpuMs } from './process-cpu.ts';

const secondsPerRun = Number(process.env.BENCH_SECONDS ?? 8);
const timingSamples = Number(process.env.BENCH_TIMING_SAMPLES ?? 2000);
const resetCount = Number(process.env.BENCH_RESETS ?? 400);
const resetParallel = 40;
const hashesPerReset = 2; // the new password checked against the current one (reuse), then hashed

interface Ready { port: number; codici: string[]; password: string; cookie: string; recovery: { codiceFiscale: string; email: string; missingCodiceFiscale: string } }
interface LoadResult { requestsPerSecond: number; okPerSecond: number; statuses: Record<string, number>; non2xx: number; errors: number; p99Ms: number }

function ask<T>(child: ChildProcess, message: unknown): Promise<T> {
  const answer = once(child, 'message') as Promise<[T]>;
  child.send(message as string);
  return answer.then(([value]) => value);
}

/**
 * Verifications per second with every core busy: the physical ceiling for sign-ins; and the
 * CPU time one verification takes (every thread of this process counted), which does not
 * depend on what else the machine is doing as much as a rate does.
 */
async function argon2Ceiling(password: string, seconds: number): Promise<{ perSecond: number; cpuMs: number }> {
  const encoded = await hash(password, { algorithm: argon2id, ...argon2Params });
  const inFlight = availableParallelism() * 2;
  const deadline = performance.now() + seconds * 1000;
  const cpuBefore = process.cpuUsage();
  let done = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (performance.now() < deadline) {
      await verify(encoded, password);
      done++;
    }
  }));
  const cpu = process.cpuUsage(cpuBefore);
  return { perSecond: done / seconds, cpuMs: (cpu.user + cpu.system) / 1000 / done };
}

let service: ChildProcess | null = null;

/** Whether the PostgreSQL server the service uses runs here, so that its processes' CPU is the service's. */
function databaseOnThisMachine(): boolean {
  return process.env.BENCH_DB !== 'pglite' && /@(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(process.env.BENCH_DATABASE_URL ?? '');
}

/** CPU seconds the service has used, once it has finished what is queued. */
async function serviceCpuSeconds(child: ChildProcess): Promise<number> {
  await ask(child, 'idle');
  return (await ask<{ cpuSeconds: number }>(child, 'cpu')).cpuSeconds;
}

/** One load run, after the service has finished what the previous one left queued. */
async function load(spec: Record<string, unknown>): Promise<LoadResult> {
  if (service) await ask(service, 'idle');
  const child = spawn(process.execPath, [...typeScriptExecArgv, 'bench/load.ts', JSON.stringify({ seconds: secondsPerRun, ...spec })],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  await once(child, 'exit');
  return JSON.parse(output) as LoadResult;
}

/** Sequential starts, matching and missing in a random order each round; latency as the client sees it. */
async function recoveryTiming(base: string, ready: Ready) {
  const bodies = {
    matching: JSON.stringify({ codiceFiscale: ready.recovery.codiceFiscale, channel: 'email', email: ready.recovery.email }),
    missing: JSON.stringify({ codiceFiscale: ready.recovery.missingCodiceFiscale, channel: 'email', email: ready.recovery.email }),
  };
  const samples = { matching: [] as number[], missing: [] as number[] };
  const warmUp = 100;
  for (let round = 0; round < timingSamples + warmUp; round++) {
    const order = Math.random() < 0.5 ? (['matching', 'missing'] as const) : (['missing', 'matching'] as const);
    for (const side of order) {
      const started = performance.now();
      const response = await fetch(`${base}/api/v1/recovery/password`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[side] });
      await response.arrayBuffer();
      const elapsed = performance.now() - started;
      if (response.status !== 202) throw new Error(`recovery start answered ${response.status}`);
      if (round >= warmUp) samples[side].push(elapsed);
    }
  }
  return {
    z: mannWhitneyZ(samples.matching, samples.missing),
    gap: (median(samples.matching) - median(samples.missing)) / median(samples.missing),
  };
}

/** Each link completed once, 40 at a time, from autocannon's process as every other load. */
async function resetCompletions(base: string, tokens: string[]): Promise<number> {
  const bodies = tokens.map((token, i) => JSON.stringify({ token, newPassword: `Nuova-Password!${i}-Sul-Po` }));
  const run = await load({ url: base, connections: resetParallel, amount: bodies.length, path: '/api/v1/recovery/password/complete', bodies });
  if (run.okPerSecond === 0 || run.non2xx > 0 || run.errors > 0) throw new Error(`reset completions: ${JSON.stringify(run.statuses)}, ${run.errors} errors`);
  return run.okPerSecond;
}

export async function benchService(): Promise<Figure[]> {
  const child = fork('bench/service.ts', [], { execArgv: serviceExecArgv, stdio: 'inherit' });
  service = child;
  const [ready] = (await once(child, 'message')) as [Ready];
  const url = `http://127.0.0.1:${ready.port}`;
  const signInBodies = ready.codici.map((codiceFiscale) => JSON.stringify({ codiceFiscale, password: ready.password }));
  const signIn = (connections: number) => load({ url, connections, path: '/api/v1/session', bodies: signInBodies });
  const figures: Figure[] = [];
  // The peak RSS of each phase (since the previous call), to tell which one sets rss_mb.
  const phaseRss = async (phase: string) => {
    const rss = await ask<{ currentMb: number; phasePeakMb: number }>(child, 'rss');
    figures.push(figure(`rss_mb.${phase}`, rss.phasePeakMb, 'MB'));
    return rss;
  };
  try {
    await load({ url, connections: 8, seconds: 3, path: '/api/v1/session', bodies: signInBodies }); // warm-up
    await ask(child, 'idle');
    const { perSecond: ceiling, cpuMs: hashCpuMs } = await argon2Ceiling(ready.password, secondsPerRun);
    await phaseRss('start');
    figures.push(figure('signin.ceiling_rps', ceiling, '/s'));
    figures.push(figure('signin.hash_cpu_ms', hashCpuMs, 'ms'));
    const ratios: number[] = [];
    let errors = 0;
    let at128: LoadResult | null = null;
    for (const connections of [8, 32, 128]) {
      const cpuBefore = await serviceCpuSeconds(child);
      const [loopBefore, databaseBefore] = [mainThreadCpuMs(child.pid!), databaseOnThisMachine() ? postgresCpuMs() : null];
      const run = await signIn(connections);
      if (connections === 8) {
        // The service's CPU per sign-in, hash included, next to the hash alone: what the
        // service adds, a figure that holds even when the machine is not quiet. Then where
        // that goes: its event loop, and the PostgreSQL server when it runs on this machine.
        const signIns = Math.max(1, run.okPerSecond * secondsPerRun);
        const cpuMs = (1000 * ((await serviceCpuSeconds(child)) - cpuBefore)) / signIns;
        figures.push(figure('signin.cpu_ms', cpuMs, 'ms', hashCpuMs));
        const [loopAfter, databaseAfter] = [mainThreadCpuMs(child.pid!), databaseOnThisMachine() ? postgresCpuMs() : null];
        if (loopBefore !== null && loopAfter !== null) figures.push(figure('signin.event_loop_cpu_ms', (loopAfter - loopBefore) / signIns, 'ms', hashCpuMs));
        if (databaseBefore !== null && databaseAfter !== null) figures.push(figure('signin.db_cpu_ms', (databaseAfter - databaseBefore) / signIns, 'ms', hashCpuMs));
      }
      ratios.push(run.okPerSecond / ceiling);
      errors += run.errors + run.non2xx;
      figures.push(figure(`signin.rps_c${connections}`, run.okPerSecond, '/s', ceiling));
      figures.push(figure(`signin.p99_ms_c${connections}`, run.p99Ms, 'ms'));
      if (connections === 128) at128 = run;
    }
    figures.push(figure('signin.rps', at128!.okPerSecond, '/s', ceiling));
    figures.push(figure('signin.ratio', Math.min(...ratios), 'x', 0.9));
    figures.push(figure('signin.p99_ms', at128!.p99Ms, 'ms', 1000));
    figures.push(figure('signin.errors', errors, 'count', 0));
    await phaseRss('signin');

    const overload = await signIn(512);
    const answered = Object.values(overload.statuses).reduce((a, b) => a + b, 0);
    figures.push(figure('signin.overload_c512_rps', overload.okPerSecond, '/s', ceiling));
    figures.push(figure('signin.overload_c512_503_share', (overload.statuses['503'] ?? 0) / Math.max(1, answered), 'share'));
    figures.push(figure('signin.overload_c512_p99_ms_rest', overload.p99Ms, 'ms', 1000));
    figures.push(figure('signin.overload_c512_other_errors', overload.errors + overload.non2xx - (overload.statuses['503'] ?? 0), 'count', 0));
    figures.push(figure('signin.overload_c512_rss_mb', (await phaseRss('overload_c512')).currentMb, 'MB', 300));

    const { tokens } = await ask<{ tokens: string[] }>(child, { resets: resetCount });
    await ask(child, 'idle');
    await phaseRss('reset_prepare'); // the bench's own setup, in the service's process: apart from the completions
    figures.push(figure('reset_complete.rps', await resetCompletions(url, tokens), '/s', ceiling / hashesPerReset));
    await phaseRss('reset_complete');

    figures.push(figure('page.signin.rps', (await load({ url, connections: 64, method: 'GET', path: '/signin' })).okPerSecond, '/s', 5000));
    await phaseRss('page_signin');
    figures.push(figure('api.me.rps', (await load({ url, connections: 64, method: 'GET', path: '/api/v1/me', headers: { cookie: ready.cookie } })).okPerSecond, '/s', 5000));
    await phaseRss('api_me');
    // Last: a few seconds of starts at full speed leave tens of thousands of messages to send
    // and events to seal, work that would weigh on any figure measured after it.
    const recoveryBodies = [ready.recovery.codiceFiscale, ready.recovery.missingCodiceFiscale].map((codiceFiscale) =>
      JSON.stringify({ codiceFiscale, channel: 'email', email: ready.recovery.email }));
    const starts = await load({ url, connections: 64, path: '/api/v1/recovery/password', bodies: recoveryBodies });
    figures.push(figure('recovery_start.rps', starts.okPerSecond, '/s', 2000));
    figures.push(figure('recovery_start.errors', starts.errors + starts.non2xx, 'count', 0));
    await ask(child, 'idle');
    const timing = await recoveryTiming(url, ready);
    figures.push(figure('recovery_start.timing_gap', Math.abs(timing.gap), 'share', 0.02));
    figures.push(figure('recovery_start.timing_z', Math.abs(timing.z), '|z|', 3));

    await phaseRss('recovery_start');
    figures.push(figure('rss_mb', (await ask<{ peakMb: number }>(child, 'rss')).peakMb, 'MB', 300));
  } finally {
    child.send('stop');
    await once(child, 'exit');
    service = null;
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(await benchService());
