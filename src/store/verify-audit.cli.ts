// `npm run verify-audit`: recomputes the audit trail's hash chain (S31) on the configured
// database and names the first broken record. Exit 0 when intact, 1 when broken.
import { loadConfig } from '../config.ts';
import { countAuditEvents, verifyAuditChain } from './audit.repo.ts';
import { openDb } from './db.ts';

const reasons = {
  altered: 'its content no longer matches its hash (changed after it was written)',
  record_missing_before: 'the record before it is missing (deleted)',
  tail_missing: 'records after it are missing (the chain head points further)',
};

const config = loadConfig();
const db = await openDb(config.databaseUrl, config.dataDir);
try {
  const broken = await verifyAuditChain(db);
  if (broken) {
    console.error(`audit trail BROKEN at record ${broken.seq}: ${reasons[broken.reason]}`);
    process.exitCode = 1;
  } else {
    console.log(`audit trail intact: ${await countAuditEvents(db)} records verified`);
  }
} finally {
  await db.close();
}
