// A session's device and place in the citizen's words, in it/en/ro: the personal area, the
// sessions API and the new-device notice all say it the same way. Browser and system names
// are proper nouns and stay as they are.
import type { Place } from '../../domain/approximate-place.ts';
import type { Language } from '../../domain/language.ts';
import type { DeviceDescription } from '../../domain/user-agent.ts';

const words = {
  it: { on: '{browser} su {system}', browser: '{browser}', system: 'un browser su {system}', unknown: 'un dispositivo non riconosciuto (app o programma)',
    local: 'rete locale', masked: 'indirizzo {address}', nowhere: 'luogo non determinabile' },
  en: { on: '{browser} on {system}', browser: '{browser}', system: 'a browser on {system}', unknown: 'an unrecognised device (app or program)',
    local: 'local network', masked: 'address {address}', nowhere: 'place unknown' },
  ro: { on: '{browser} pe {system}', browser: '{browser}', system: 'un browser pe {system}', unknown: 'un dispozitiv nerecunoscut (aplicație sau program)',
    local: 'rețea locală', masked: 'adresa {address}', nowhere: 'loc necunoscut' },
} as const satisfies Record<Language, Record<string, string>>;

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

export function deviceInWords(device: DeviceDescription, language: Language): string {
  const w = words[language];
  const values = { browser: device.browser ?? '', system: device.system ?? '' };
  if (device.browser && device.system) return fill(w.on, values);
  if (device.browser) return fill(w.browser, values);
  if (device.system) return fill(w.system, values);
  return w.unknown;
}

export function placeInWords(place: Place, language: Language): string {
  const w = words[language];
  if (place.kind === 'local_network') return w.local;
  if (place.kind === 'masked') return fill(w.masked, { address: place.address });
  return w.nowhere;
}
