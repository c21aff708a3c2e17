// `npm run migrate`: applies pending migrations to the configured database and exits.
import { loadConfig } from '../config.ts';
import { openDb } from './db.ts';
import { migrate } from './migrate.ts';

const config = loadConfig();
const db = await openDb(config.databaseUrl, config.dataDir);
const applied = await migrate(db);
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema up to date');
await db.close();
