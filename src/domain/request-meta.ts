/** Where a request came from, for the audit trail and notices. */
export interface RequestMeta {
  ip: string;
  userAgent: string;
  /** SHA-256 of the browser's device cookie, when it sent one (new-device notices). */
  deviceHash?: string | null;
}
