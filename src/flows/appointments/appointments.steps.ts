// Office appointments for in-person help. A slot belongs to one booking: a partial unique
// index makes double booking impossible even under concurrency, whatever the code does.
import { AppError } from '../../domain/errors.ts';
import { hashToken, newToken } from '../../domain/secrets.ts';
import { isWorkingDay, romeDate, romeInstant, type CivilDate } from '../../domain/working-days.ts';
import type { Language } from '../../domain/language.ts';
import type { FlowDeps } from '../deps.ts';
import {
  bookedSlotStarts, cancelBookedAppointment, findAppointmentByToken, insertAppointment, insertOffice, selectOffice, selectOffices, type OfficeRow,
} from './appointments.repo.ts';
import type { RequestMeta } from '../request-meta.ts';
import { limitByAddress, requireCodiceFiscale } from '../sign-in/sign-in.steps.ts';

export interface Office { id: string; name: string; address: string; opensAt: string; closesAt: string; slotMinutes: number }

const toOffice = (row: OfficeRow): Office => ({ id: row.id, name: row.name, address: row.address,
  opensAt: row.opens_at.slice(0, 5), closesAt: row.closes_at.slice(0, 5), slotMinutes: row.slot_minutes });
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

export async function createOffice(deps: Pick<FlowDeps, 'db' | 'clock'>, office: Omit<Office, 'id'>): Promise<Office> {
  if (minutesOf(office.opensAt) >= minutesOf(office.closesAt)) throw new AppError('invalid_request', { errors: [{ field: 'closesAt', message: 'must follow opensAt' }] });
  const row = await insertOffice(deps.db, office, deps.clock.now());
  if (!row) throw new AppError('conflict', {}, 'an office with this name exists');
  return toOffice(row);
}

export async function listOffices(deps: Pick<FlowDeps, 'db'>): Promise<Office[]> {
  return (await selectOffices(deps.db)).map(toOffice);
}

async function officeById(deps: Pick<FlowDeps, 'db'>, id: string): Promise<Office> {
  const row = await selectOffice(deps.db, id);
  if (!row) throw new AppError('not_found');
  return toOffice(row);
}

/** The office's future slots on a working day, each marked free or taken. */
export async function officeSlots(deps: Pick<FlowDeps, 'db' | 'clock'>, officeId: string, date: CivilDate): Promise<{ start: string; free: boolean }[]> {
  const office = await officeById(deps, officeId);
  if (!isWorkingDay(date)) return [];
  const takenSet = new Set((await bookedSlotStarts(deps.db, officeId)).map((start) => start.toISOString()));
  const now = deps.clock.now();
  const slots: { start: string; free: boolean }[] = [];
  for (let minute = minutesOf(office.opensAt); minute + office.slotMinutes <= minutesOf(office.closesAt); minute += office.slotMinutes) {
    const start = romeInstant(date, minute);
    if (start > now) slots.push({ start: start.toISOString(), free: !takenSet.has(start.toISOString()) });
  }
  return slots;
}

/** `language`: the request's, since whoever books may have no account. */
export async function bookAppointment(deps: FlowDeps, input: { officeId: string; slotStart: string; codiceFiscale: string; email: string }, meta: RequestMeta, language: Language = 'it') {
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
    const appointmentId = await insertAppointment(tx, { officeId: office.id, slotStart: start, codiceFiscale, email: input.email, manageTokenHash: hashToken(token) }, now);
    if (!appointmentId) throw new AppError('conflict', {}, 'this slot has just been taken');
    await deps.outbox.enqueue(tx, { channel: 'email', to: input.email, kind: 'appointment_confirmed', language,
      params: { office: office.name, address: office.address, when: start.toISOString(), manageUrl: `${deps.config.publicUrl}/appointments/manage/${token}` } });
    return { appointmentId };
  });
}

export async function findAppointment(deps: Pick<FlowDeps, 'db'>, token: string) {
  const row = await findAppointmentByToken(deps.db, hashToken(token));
  if (!row) throw new AppError('token_invalid');
  return { id: row.id, office: row.name, address: row.address, slotStart: row.slot_start.toISOString(), status: row.status };
}

/** Cancels once: an appointment already cancelled (or a parallel cancellation that won) is a conflict. */
export async function cancelAppointment(deps: Pick<FlowDeps, 'db' | 'clock'>, token: string): Promise<void> {
  await findAppointment(deps, token);
  if (!(await cancelBookedAppointment(deps.db, hashToken(token), deps.clock.now()))) throw new AppError('conflict', {}, 'the appointment is already cancelled');
}
