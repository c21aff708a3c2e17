// Offices and their appointments. A slot belongs to one booking: a partial unique index
// (migration 007) makes double booking impossible whatever the code does; the manage
// token is stored as SHA-256.
import type { Queryable } from '../../store/db.ts';

export interface OfficeRow { id: string; name: string; address: string; opens_at: string; closes_at: string; slot_minutes: number }

const officeColumns = 'id, name, address, opens_at::text, closes_at::text, slot_minutes';

export async function insertOffice(db: Queryable, office: { name: string; address: string; opensAt: string; closesAt: string; slotMinutes: number }, now: Date): Promise<OfficeRow | null> {
  const row = await db.query<OfficeRow>(
    `INSERT INTO offices (name, address, opens_at, closes_at, slot_minutes, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (name) DO NOTHING RETURNING ${officeColumns}`,
    [office.name, office.address, office.opensAt, office.closesAt, office.slotMinutes, now]);
  return row.rows[0] ?? null;
}

export async function selectOffices(db: Queryable): Promise<OfficeRow[]> {
  return (await db.query<OfficeRow>(`SELECT ${officeColumns} FROM offices ORDER BY name`)).rows;
}

export async function selectOffice(db: Queryable, id: string): Promise<OfficeRow | null> {
  return (await db.query<OfficeRow>(`SELECT ${officeColumns} FROM offices WHERE id = $1`, [id])).rows[0] ?? null;
}

export async function bookedSlotStarts(db: Queryable, officeId: string): Promise<Date[]> {
  const taken = await db.query<{ slot_start: Date }>(`SELECT slot_start FROM appointments WHERE office_id = $1 AND status = 'booked'`, [officeId]);
  return taken.rows.map((row) => row.slot_start);
}

/** Null when the slot has just been taken (the unique index refused it). */
export async function insertAppointment(tx: Queryable, booking: { officeId: string; slotStart: Date; codiceFiscale: string; email: string; manageTokenHash: string }, now: Date): Promise<string | null> {
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO appointments (office_id, slot_start, codice_fiscale, email, manage_token_hash, status, created_at)
     VALUES ($1, $2, $3, $4, $5, 'booked', $6) ON CONFLICT (office_id, slot_start) WHERE status = 'booked' DO NOTHING RETURNING id`,
    [booking.officeId, booking.slotStart, booking.codiceFiscale, booking.email, booking.manageTokenHash, now]);
  return inserted.rows[0]?.id ?? null;
}

export async function findAppointmentByToken(db: Queryable, tokenHash: string) {
  const rows = await db.query<{ id: string; name: string; address: string; slot_start: Date; status: string }>(
    `SELECT a.id, o.name, o.address, a.slot_start, a.status FROM appointments a JOIN offices o ON o.id = a.office_id WHERE a.manage_token_hash = $1`,
    [tokenHash]);
  return rows.rows[0] ?? null;
}

/** One guarded statement: of parallel cancellations exactly one gets true (S6). */
export async function cancelBookedAppointment(db: Queryable, tokenHash: string, now: Date): Promise<boolean> {
  const result = await db.query(`UPDATE appointments SET status = 'cancelled', cancelled_at = $2 WHERE manage_token_hash = $1 AND status = 'booked'`, [tokenHash, now]);
  return result.rowCount > 0;
}
