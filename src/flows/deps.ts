import type { RateLimiter } from '../adapters/rate-limiter.ts';
import type { Config } from '../config.ts';
import type { Clock, Random } from '../domain/clock.ts';
import type { Hasher } from '../domain/hasher.ts';
import type { Outbox } from '../delivery/outbox.ts';
import type { Db } from '../store/db.ts';

/**
 * What every flow step may use; flows never reach for anything else. Steps that need
 * less take a Pick<> of it.
 */
export interface FlowDeps {
  db: Db;
  clock: Clock;
  random: Random;
  outbox: Outbox;
  hasher: Hasher;
  config: Config;
  limiter: RateLimiter;
}
