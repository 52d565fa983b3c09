import type { ApiKeyScope, ResellerRole } from "../contracts/types.js";

/**
 * What a reseller route needs: `read` (every list and detail), `write` (clients, licenses, pools, purchases, pool
 * requests) or `manage` (the reseller's users, invites and API keys). Pure; the server checks it in one hook.
 */
export type Access = "read" | "write" | "manage";

const GRANTS: Record<ResellerRole, ReadonlySet<Access>> = {
  owner: new Set(["read", "write", "manage"]),
  staff: new Set(["read", "write"]),
  viewer: new Set(["read"]),
};

export const can = (role: ResellerRole, need: Access): boolean => GRANTS[role].has(need);

/** An API key acts like a user of this role: read-only keys like viewers, read-write keys like staff (never owners). */
export const roleOfScope = (scope: ApiKeyScope): ResellerRole => (scope === "read" ? "viewer" : "staff");

export const RESELLER_ROLES: readonly ResellerRole[] = ["owner", "staff", "viewer"];
