// Hooks that run for every route (language, CSRF) see the query and body before any route
// schema types them, so they read one field by narrowing the unknown value instead of a cast.
export function requestField(source: unknown, key: string): unknown {
  return typeof source === 'object' && source !== null && key in source ? Reflect.get(source, key) : undefined;
}

/** The field when it is a string, else undefined. */
export function stringField(source: unknown, key: string): string | undefined {
  const value = requestField(source, key);
  return typeof value === 'string' ? value : undefined;
}
