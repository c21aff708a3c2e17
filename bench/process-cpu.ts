// Where a sign-in's CPU goes, read off Linux's /proc (issue 14, "measure, then fix"): the
// service's event loop (its main thread) apart from the threads that hash, and the PostgreSQL
// server's processes when the server runs on this machine. Null where /proc cannot tell (not
// Linux, or the server elsewhere). Times are in clock ticks of 10 ms (USER_HZ is 100 on Linux).
import { readdirSync, readFileSync } from 'node:fs';

const msPerTick = 10;

/** utime + stime of a /proc stat line, in ms, and the command name it gives. */
function readStat(path: string): { name: string; ms: number } | null {
  try {
    const stat = readFileSync(path, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    return { name: stat.slice(stat.indexOf('(') + 1, close), ms: (Number(fields[11]) + Number(fields[12])) * msPerTick };
  } catch {
    return null; // gone meanwhile, or no /proc
  }
}

/** CPU ms the process's main thread (its event loop) has used: the thread whose id is the process id. */
export function mainThreadCpuMs(pid: number): number | null {
  return readStat(`/proc/${pid}/task/${pid}/stat`)?.ms ?? null;
}

/** CPU ms every PostgreSQL server process of this machine has used (the postmaster and its children). */
export function postgresCpuMs(): number | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return null;
  }
  let total = 0;
  let found = false;
  for (const pid of pids) {
    const stat = readStat(`/proc/${pid}/stat`);
    if (stat?.name !== 'postgres') continue;
    found = true;
    total += stat.ms;
  }
  return found ? total : null;
}
