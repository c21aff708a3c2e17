// Work that runs off the request path (recovery starts) but must be done before the
// development mailbox is read, so that a test or a developer sees what will be sent: each
// kind registers how to finish its pending work for a database.
import type { Db } from '../store/db.ts';

const pending = new WeakMap<Db, Map<string, () => Promise<unknown>>>();

export function registerPendingWork(db: Db, name: string, finish: () => Promise<unknown>): void {
  const forDb = pending.get(db) ?? new Map<string, () => Promise<unknown>>();
  forDb.set(name, finish);
  pending.set(db, forDb);
}

export async function finishPendingWork(db: Db): Promise<void> {
  for (const finish of pending.get(db)?.values() ?? []) await finish();
}
