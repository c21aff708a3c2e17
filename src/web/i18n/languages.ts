// The languages live in the domain (delivery and flow steps need them too); web re-exports them.
export { languages, isLanguage, languageFromHeader, type Language } from '../../domain/language.ts';
