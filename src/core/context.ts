/** Who is acting, for the audit trail, and on whose behalf. Built by the server's auth layer or the CLI. */
export interface ResellerContext {
  resellerId: string;
  /** Human-readable actor for the activity log, e.g. `user demo@example.com` or `api-key lp_live_ab12`. */
  actor: string;
  /** Hash of the API key the request came with (none for dashboard sessions): a rotation must still find it current. */
  apiKeyHash?: string;
}
export interface SupportContext {
  actor: string;
}
