// S6 over every secret of the service (one-time-secrets.sweep.ts): 20 parallel uses, exactly
// one success, with the production hasher, so that each use takes as long as it would for real.
import { sweepSecrets } from './one-time-secrets.sweep.ts';

sweepSecrets([6]);
