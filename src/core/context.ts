/** Who is acting, for the audit trail, and on whose behalf. Built by the server's auth layer or the CLI. */
export interface ResellerContext {
  resellerId: string;
  /** Human-readable actor for the activity log, e.g. `user demo@example.com` or `api-key lp_live_ab12`. */
  actor: string;
}
export interface SupportContext {
  actor: string;
}
