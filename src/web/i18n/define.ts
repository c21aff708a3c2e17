/**
 * A flow's own texts in the three languages; the types make a missing translation a
 * compile error. The flow exports the result from its index.ts (the manifest).
 */
export function defineMessages<K extends string>(
  it: Record<K, string>,
  en: Record<NoInfer<K>, string>,
  ro: Record<NoInfer<K>, string>,
): { it: Record<K, string>; en: Record<K, string>; ro: Record<K, string> } {
  return { it, en, ro };
}
