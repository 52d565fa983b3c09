import type { ResellerRole } from "../contracts/types.js";

/** Who is acting, for the audit trail, and on whose behalf. Built by the server's auth layer or the CLI. */
export interface ResellerContext {
  resellerId: string;
  /** Human-readable actor for the activity log, e.g. `user demo@example.com` or `api-key lp_live_ab12`. */
  actor: string;
  /**
   * What the caller may do: the user's role, or for an API key the role its scope stands for (see core/access.ts).
   * The server always sets it and enforces it; in-process callers (CLI, benchmarks, tests) act as the account itself.
   */
  role?: ResellerRole;
  /** The signed-in user (dashboard sessions only). */
  userId?: string;
  /** The API key the request came with (none for dashboard sessions). */
  apiKeyId?: string;
  /** Hash of that key: a rotation must still find it current. */
  apiKeyHash?: string;
}
export interface SupportContext {
  actor: string;
}
