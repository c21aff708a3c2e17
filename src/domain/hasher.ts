/** Slow hashing of low-entropy secrets (passwords, PINs, temporary passwords, answers). */
export interface Hasher {
  hash(secret: string): Promise<string>;
  verify(hash: string, secret: string): Promise<boolean>;
  /** True when the hash was made with weaker parameters than the current ones (S11). */
  needsRehash(hash: string): boolean;
  /**
   * Spends the same time as a real verification against a dummy hash, so an unknown
   * account costs what a known one does (S1).
   */
  verifyDummy(secret: string): Promise<void>;
  /**
   * Issue 14, back-pressure: false when the bounded hash queue is full. Callers check it
   * before doing anything that leads to a hash (and before counting a sign-in attempt), and
   * answer 503 `overloaded` at once rather than queueing without bound.
   */
  hasCapacity(): boolean;
}
