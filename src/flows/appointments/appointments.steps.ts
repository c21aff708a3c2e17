// Office appointments for in-person help. A slot belongs to one booking: a partial unique
// index makes double booking impossible even under concurrency, whatever the code does.
import { AppError } from '../../domain/errors.ts';
import { hashToken, newToken } from '../../domain/secrets.ts';
import { isWorkingDay, romeDate, romeInstant, type CivilDate } from '../../domain/working-days.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { limitByAddress, requireCodiceFiscale } from '../sign-in/sign-in.steps.ts';

export interface Office { id: string; name: string; address: string; opensAt: string; closesAt: string; slotMinutes: number }
interface OfficeRow { id: string; name: string; address: string; opens_at: string; closes_at: string; slot_minutes: number }

const toOffice = (row: OfficeRow): Office => ({ id: row.id, name: row.name, address: row.address,
  opensAt: row.opens_at.slice(0, 5), closesAt: row.closes_at.slice(0, 5), slotMinutes: row.slot_minutes });
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

export async function createOffice(deps: Pick<FlowDeps, 'db' | 'clock'>, office: Omit<Office, 'id'>): Promise<Office> {
  if (minutesOf(office.opensAt) >= minutesOf(office.closesAt)) throw new AppError('invalid_request', { errors: [{ field: 'closesAt', message: 'must follow opensAt' }] });
  const row = await deps.db.query<OfficeRow>(
    `INSERT INTO offices (name, address, opens_at, closes_at, slot_minutes, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (name) DO NOTHING RETURNING id, name, address, opens_at::text, closes_at::text, slot_minutes`,
    [office.name, office.address, office.opensAt, office.closesAt, office.slotMinutes, deps.clock.now()]);
  if (!row.rows[0]) throw new AppError('conflict', {}, 'an office with this name exists');
  return toOffice(row.rows[0]);
}

export async function listOffices(deps: Pick<FlowDeps, 'db'>): Promise<Office[]> {
  const rows = await deps.db.query<OfficeRow>('SELECT id, name, address, opens_at::text, closes_at::text, slot_minutes FROM offices ORDER BY name');
  return rows.rows.map(toOffice);
}

async function officeById(deps: Pick<FlowDeps, 'db'>, id: string): Promise<Office> {
  const rows = await deps.db.query<OfficeRow>('SELECT id, name, address, opens_at::text, closes_at::text, slot_minutes FROM offices WHERE id = $1', [id]);
  if (!rows.rows[0]) throw new AppError('not_found');
  return toOffice(rows.rows[0]);
}

/** The office's future slots on a working day, each marked free or taken. */
export async function officeSlots(deps: Pick<FlowDeps, 'db' | 'clock'>, officeId: string, date: CivilDate): Promise<{ start: string; free: boolean }[]> {
  const office = await officeById(deps, officeId);
  if (!isWorkingDay(date)) return [];
  const taken = await deps.db.query<{ slot_start: Date }>(`SELECT slot_start FROM appointments WHERE office_id = $1 AND status = 'booked'`, [officeId]);
  const takenSet = new Set(taken.rows.map((row) => row.slot_start.toISOString()));
  const now = deps.clock.now();
  const slots: { start: string; free: boolean }[] = [];
  for (let minute = minutesOf(office.opensAt); minute + office.slotMinutes <= minutesOf(office.closesAt); minute += office.slotMinutes) {
    const start = romeInstant(date, minute);
    if (start > now) slots.push({ start: start.toISOString(), free: !takenSet.has(start.toISOString()) });
  }
  return slots;
}

export async function bookAppointment(deps: FlowDeps, input: { officeId: string; slotStart: string; codiceFiscale: string; email: string }, meta: RequestMeta) {
  const codiceFiscale = requireCodiceFiscale(input.codiceFiscale);
  await limitByAddress(deps, 'appointments', meta.ip, 20);
  const start = new Date(input.slotStart);
  if (Number.isNaN(start.getTime())) throw new AppError('invalid_request', { errors: [{ field: 'slotStart', message: 'not a date-time' }] });
  const office = await officeById(deps, input.officeId);
  const slots = await officeSlots(deps, office.id, romeDate(start));
  if (!slots.some((slot) => slot.start === start.toISOString())) throw new AppError('invalid_request', { errors: [{ field: 'slotStart', message: 'not a slot of this office' }] });
  const token = newToken(deps.random);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO appointments (office_id, slot_start, codice_fiscale, email, manage_token_hash, status, created_at)
       VALUES ($1, $2, $3, $4, $5, 'booked', $6) ON CONFLICT (office_id, slot_start) WHERE status = 'booked' DO NOTHING RETURNING id`,
      [office.id, start, codiceFiscale, input.email, hashToken(token), now]);
    if (!inserted.rows[0]) throw new AppError('conflict', {}, 'this slot has just been taken');
    await deps.outbox.enqueue(tx, { channel: 'email', to: input.email, kind: 'appointment_confirmed', language: 'it',
      params: { office: office.name, address: office.address, when: start.toISOString(), manageUrl: `${deps.config.publicUrl}/appointments/manage/${token}` } });
    return { appointmentId: inserted.rows[0].id };
  });
}

export async function findAppointment(deps: Pick<FlowDeps, 'db'>, token: string) {
  const rows = await deps.db.query<{ id: string; name: string; address: string; slot_start: Date; status: string }>(
    `SELECT a.id, o.name, o.address, a.slot_start, a.status FROM appointments a JOIN offices o ON o.id = a.office_id WHERE a.manage_token_hash = $1`,
    [hashToken(token)]);
  const row = rows.rows[0];
  if (!row) throw new AppError('token_invalid');
  return { id: row.id, office: row.name, address: row.address, slotStart: row.slot_start.toISOString(), status: row.status };
}

export async function cancelAppointment(deps: Pick<FlowDeps, 'db' | 'clock'>, token: string): Promise<void> {
  await findAppointment(deps, token);
  await deps.db.query(`UPDATE appointments SET status = 'cancelled', cancelled_at = $2 WHERE manage_token_hash = $1 AND status = 'booked'`,
    [hashToken(token), deps.clock.now()]);
}
