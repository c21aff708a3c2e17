import { flowMessages, type FlowMessageKey } from './catalogue.ts';
import { en } from './en.ts';
import { it, type MessageKey as CoreKey } from './it.ts';
import type { Language } from './languages.ts';
import { ro } from './ro.ts';

export { languages, isLanguage, languageFromHeader, type Language } from './languages.ts';

export type MessageKey = CoreKey | FlowMessageKey;

function merged(language: Language, core: Record<CoreKey, string>): Record<MessageKey, string> {
  return Object.assign({}, core, ...flowMessages.map((messages) => messages[language])) as Record<MessageKey, string>;
}

export const catalogues: Record<Language, Record<MessageKey, string>> = { it: merged('it', it), en: merged('en', en), ro: merged('ro', ro) };

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
