// The page texts: the core catalogue (it.ts, en.ts, ro.ts) plus every flow's own texts,
// handed in from the flow manifest by buildApp (installFlowMessages), so web/ never imports
// a flow. Their keys reach the types the same way: src/flows/manifest.ts augments
// FlowMessageKeys with the keys of every flow's defineMessages().
import { en } from './en.ts';
import { it, type MessageKey as CoreKey } from './it.ts';
import type { Language } from './languages.ts';
import { ro } from './ro.ts';

export { languages, isLanguage, languageFromHeader, type Language } from './languages.ts';

/** Augmented by src/flows/manifest.ts: one member per flow message key. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FlowMessageKeys {}

export type MessageKey = CoreKey | keyof FlowMessageKeys;

/** A flow's texts in the three languages, as defineMessages() returns them. */
export interface FlowMessages {
  it: Record<string, string>;
  en: Record<string, string>;
  ro: Record<string, string>;
}

export const catalogues = { it: { ...it }, en: { ...en }, ro: { ...ro } } as Record<Language, Record<MessageKey, string>>;

/** Adds the flows' texts to the catalogues; idempotent, so every buildApp may call it. */
export function installFlowMessages(list: readonly FlowMessages[]): void {
  for (const language of ['it', 'en', 'ro'] as const) Object.assign(catalogues[language], ...list.map((messages) => messages[language]));
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(language: Language): Translate {
  const catalogue = catalogues[language];
  return (key, params) => {
    const text = catalogue[key] ?? catalogues.it[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole)) : text;
  };
}

export function isMessageKey(key: string): key is MessageKey {
  return key in catalogues.it;
}
