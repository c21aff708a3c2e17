// Issue 14: the audit chain is sealed off the request path. Every instance runs a sealer; they
// queue on the chain head row, so two never seal the same event, and a crashed instance's
// events are sealed by the others.
import { sealAllAudit } from './audit.repo.ts';
import type { Db } from './db.ts';

export interface AuditSealer {
  start(intervalMs: number): void;
  /** Stops the timer and seals what is left. */
  stop(): Promise<void>;
}

export function createAuditSealer(db: Db, onError: (error: unknown) => void): AuditSealer {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running.then(() => sealAllAudit(db)).catch(onError);
  };
  return {
    start(intervalMs) {
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      tick();
      await running;
    },
  };
}
