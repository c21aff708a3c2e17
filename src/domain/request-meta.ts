/** Where a request came from, for the audit trail and notices. */
export interface RequestMeta {
  ip: string;
  userAgent: string;
}
