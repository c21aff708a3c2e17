import type { Language } from '../../domain/language.ts';

/** A timestamp as the recipient reads it: local Italian time, in their language. */
export function formatWhen(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Rome' }).format(date);
}
