// Development only: demo data so that a newcomer can sign in at once. Idempotent.
import { hashToken, newToken } from '../domain/secrets.ts';
import { createAdministration, createOperator } from '../flows/admin/admin.steps.ts';
import { createOffice } from '../flows/appointments/appointments.steps.ts';
import type { FlowDeps } from '../flows/deps.ts';
import { insertAccount, rememberPassword } from '../store/accounts.repo.ts';
import { insertApiToken } from '../store/api-tokens.repo.ts';
import { administrationExists, markContactsVerified } from './seed.repo.ts';

export const demoCitizens = [
  { codiceFiscale: 'RSSMRA85T10A562S', firstName: 'Mario', lastName: 'Rossi', birthDate: '1985-12-10',
    email: 'mario.rossi@example.it', mobile: '+393331234567', pec: 'mario.rossi@pec.example.it', password: 'Tramonto-Viola!Sul-Po7' },
  { codiceFiscale: 'BNCGLI90C55H501W', firstName: 'Giulia', lastName: 'Bianchi', birthDate: '1990-03-15',
    email: 'giulia.bianchi@example.it', mobile: '+393471234567', pec: null, password: 'Girasole#Lago-Blu42' },
] as const;

const seedMeta = { ip: '127.0.0.1', userAgent: 'varco-seed' };
export const demoOperatorPassword = 'Sportello#Aperto-2026';

export async function seedDemoData(deps: FlowDeps): Promise<string[]> {
  const lines: string[] = [];
  const adminToken = newToken(deps.random);
  await insertApiToken(deps.db, { tokenHash: hashToken(adminToken), role: 'platform_admin', subjectId: null }, deps.clock.now());
  lines.push(`platform-admin token (this run): ${adminToken}`);

  if (!(await administrationExists(deps.db, 'DEMO'))) {
    const administration = await createAdministration(deps, { code: 'DEMO', name: 'Amministrazione dimostrativa' }, seedMeta);
    lines.push(`administration DEMO token: ${administration.apiToken}`);
    const operator = await createOperator(deps, { codiceFiscale: 'VRDLGU80A01F205T', firstName: 'Luigi', lastName: 'Verdi',
      email: 'operatore@example.it', password: demoOperatorPassword }, seedMeta);
    lines.push(`operator Luigi Verdi token: ${operator.apiToken}`);
    await createOffice(deps, { name: 'Sede di Roma', address: 'Via Ciro il Grande 21, Roma', opensAt: '08:30', closesAt: '12:30', slotMinutes: 30 });
  } else {
    lines.push('administration DEMO and operator Luigi Verdi exist (their tokens were printed when first seeded)');
  }

  lines.push(`operator back office: ${deps.config.publicUrl}/desk/signin with VRDLGU80A01F205T / ${demoOperatorPassword}`);
  for (const citizen of demoCitizens) {
    const passwordHash = await deps.hasher.hash(citizen.password);
    await deps.db.transaction(async (tx) => {
      const now = deps.clock.now();
      const account = await insertAccount(tx, { ...citizen, passwordHash, passwordTemporaryUntil: null }, now);
      if (account) {
        await markContactsVerified(tx, account.id);
        await rememberPassword(tx, account.id, passwordHash, now);
      }
    });
    lines.push(`citizen ${citizen.firstName} ${citizen.lastName}: codice fiscale ${citizen.codiceFiscale}, password ${citizen.password}`);
  }
  return lines;
}
