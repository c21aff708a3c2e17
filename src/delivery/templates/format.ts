import { dateFormats } from '../../domain/date-format.ts';
import type { Language } from '../../domain/language.ts';

const when = dateFormats({ dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Rome' });

/** A timestamp as the recipient reads it: local Italian time, in their language. */
export function formatWhen(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return when(language).format(date);
}
