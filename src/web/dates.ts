// How a page shows an instant: Italian time, in the page's language (the activity, the
// sessions, the services a citizen allowed, the desk's mismatches).
import { dateFormats } from '../domain/date-format.ts';
import type { PageContext } from './layout.ts';

const dateTime = dateFormats({ dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Rome' });

export function pageDateTime(ctx: Pick<PageContext, 'lang'>, instant: Date | string): string {
  return dateTime(ctx.lang).format(new Date(instant));
}
