// S4, S5, S7, S8, S9 over every secret of the service (one-time-secrets.sweep.ts), with tiny
// argon2 parameters: hashing is not what these items test.
import { createFastHasher } from '../helpers/fast-hasher.ts';
import { sweepSecrets } from './one-time-secrets.sweep.ts';

sweepSecrets([4, 5, 7, 8, 9], { hasher: createFastHasher() });
