// SQL of platform administration: administrations and operators. Parameters are always bound.
import type { Queryable } from '../../store/db.ts';

/** Null when an administration with this code exists. */
export async function insertAdministration(tx: Queryable, administration: { code: string; name: string }, now: Date): Promise<string | null> {
  const inserted = await tx.query<{ id: string }>(
    'INSERT INTO administrations (code, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING RETURNING id',
    [administration.code, administration.name, now],
  );
  return inserted.rows[0]?.id ?? null;
}

export interface NewOperator {
  codiceFiscale: string;
  firstName: string;
  lastName: string;
  email: string;
  passwordHash: string | null;
}

/** Null when an operator with this codice fiscale exists. */
export async function insertOperator(tx: Queryable, operator: NewOperator, now: Date): Promise<string | null> {
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO operators (codice_fiscale, first_name, last_name, email, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (codice_fiscale) DO NOTHING RETURNING id`,
    [operator.codiceFiscale, operator.firstName, operator.lastName, operator.email, operator.passwordHash, now],
  );
  return inserted.rows[0]?.id ?? null;
}
