import type {
  ActivityEntry,
  ApiKey,
  ApiKeyScope,
  Client,
  Invite,
  InvitePreview,
  License,
  Plan,
  Pool,
  PoolHolder,
  PoolRequest,
  Purchase,
  Reseller,
  ResellerRole,
  SessionUser,
  TeamUser,
} from "../../src/contracts/types.js";
import { del, get, patch, post, request } from "./api";

/** Typed calls to the licensepool API, one function per endpoint the dashboard uses. */

export interface Session {
  user: SessionUser;
  csrf_token: string;
}
/** GET /api/auth/session: signed out is an answer (both null), not an error. */
export type SessionAnswer = Session | { user: null; csrf_token: null };
export interface Paged {
  next_cursor: string | null;
}
export type ResellerOverview = Reseller & { pools: Pool[]; client_count: number };

export const auth = {
  session: () => get<SessionAnswer>("/api/auth/session"),
  login: (email: string, password: string) => request<Session>("POST", "/api/auth/login", { email, password }),
  logout: () => post<{ signed_out: boolean }>("/api/auth/logout"),
  /** Ends every session of this user, this one included. */
  logoutEverywhere: () => post<{ signed_out: boolean; sessions_ended: number }>("/api/auth/logout-everywhere"),
  invite: (token: string) => get<{ invite: InvitePreview }>(`/api/auth/invites/${encodeURIComponent(token)}`),
  acceptInvite: (token: string, password: string, name: string) =>
    request<Session>("POST", `/api/auth/invites/${encodeURIComponent(token)}/accept`, {
      password,
      ...(name.trim() ? { name: name.trim() } : {}),
    }),
};

const v1 = "/api/v1";

export const plans = {
  list: () => get<{ plans: Plan[] }>(`${v1}/plans`),
  purchase: (planId: string) => post<{ purchase: Purchase; pool: Pool }>(`${v1}/purchases`, { plan_id: planId }),
  purchases: (cursor?: string) => get<{ purchases: Purchase[] } & Paged>(`${v1}/purchases`, { limit: 200, cursor }),
};

export const pools = {
  list: () => get<{ pools: Pool[] }>(`${v1}/pools`),
  holders: (poolId: string, cursor?: string, limit = 25) =>
    get<{ pool: Pool; clients: PoolHolder[] } & Paged>(`${v1}/pools/${encodeURIComponent(poolId)}`, { limit, cursor }),
  /** Answers with the pool's counts after the allocation, so the card can update without another read. */
  allocate: (poolId: string, clientId: string) =>
    post<{ license: License; pool: Pool }>(`${v1}/pools/${encodeURIComponent(poolId)}/allocations`, { client_id: clientId }),
  requestChange: (poolId: string, requestedTotal: number, note: string) =>
    post<{ pool_request: PoolRequest }>(`${v1}/pool-requests`, { pool_id: poolId, requested_total: requestedTotal, note }),
  requests: (status?: PoolRequest["status"]) =>
    get<{ pool_requests: PoolRequest[] } & Paged>(`${v1}/pool-requests`, { status, limit: 200 }),
};

export interface ClientFilter {
  q?: string;
  status?: "active" | "suspended" | "";
  licensed?: "true" | "false" | "";
  pool_id?: string;
  limit?: number;
  cursor?: string;
}

const clientPath = (id: string, rest = "") => `${v1}/clients/${encodeURIComponent(id)}${rest}`;

export const clients = {
  list: (filter: ClientFilter = {}, signal?: AbortSignal) =>
    get<{ clients: Client[] } & Paged>(`${v1}/clients`, { ...filter }, signal),
  get: (id: string) => get<{ client: Client }>(clientPath(id)),
  create: (body: { name: string; site_url: string; pool_id: string | null }) =>
    post<{ client: Client; site_key: string; license: License | null }>(`${v1}/clients`, body),
  update: (id: string, body: { name?: string; site_url?: string }) => patch<{ client: Client }>(clientPath(id), body),
  revoke: (id: string) => del<{ client: Client; pool: Pool }>(clientPath(id, "/license")),
  reissue: (id: string, poolId: string) =>
    post<{ client: Client; license: License }>(clientPath(id, "/license/reissue"), { pool_id: poolId }),
  suspend: (id: string) => post<{ client: Client }>(clientPath(id, "/suspend")),
  resume: (id: string) => post<{ client: Client }>(clientPath(id, "/resume")),
  regenerateKey: (id: string) => post<{ client: Client; site_key: string }>(clientPath(id, "/site-key")),
  offboard: (id: string) => del<{ client: Client; pool: Pool | null }>(clientPath(id)),
};

export interface ActivityFilter {
  client_id?: string;
  pool_id?: string;
  action?: string;
  limit?: number;
  cursor?: string;
}
export const account = {
  me: () => get<{ reseller: Reseller; role: ResellerRole }>(`${v1}/me`),
};

/** A key's secret is in `api_key`, returned once; `key` is what the list shows from then on. */
export type NewApiKey = { key: ApiKey; api_key: string };

export const apiKeys = {
  list: () => get<{ api_keys: ApiKey[] }>(`${v1}/api-keys`),
  create: (name: string, scope: ApiKeyScope) => post<NewApiKey>(`${v1}/api-keys`, { name, scope }),
  /** A new secret for the same key; the old secret stops working at once. */
  rotate: (id: string) => post<NewApiKey & { reseller: Reseller }>(`${v1}/api-keys/${encodeURIComponent(id)}/rotate`),
  revoke: (id: string) => del<{ key: ApiKey }>(`${v1}/api-keys/${encodeURIComponent(id)}`),
};

export const team = {
  users: () => get<{ users: TeamUser[] }>(`${v1}/users`),
  /** The invite link is in the answer only: it is shown once. */
  invite: (email: string, role: ResellerRole) => post<{ invite: Invite; invite_url: string }>(`${v1}/users`, { email, role }),
  changeRole: (id: string, role: ResellerRole) => patch<{ user: TeamUser }>(`${v1}/users/${encodeURIComponent(id)}`, { role }),
  remove: (id: string) => del<{ user: TeamUser }>(`${v1}/users/${encodeURIComponent(id)}`),
  invites: () => get<{ invites: Invite[] }>(`${v1}/invites`),
  withdraw: (id: string) => del<{ invite: Invite }>(`${v1}/invites/${encodeURIComponent(id)}`),
};

export const activity = {
  list: (filter: ActivityFilter = {}) => get<{ activity: ActivityEntry[] } & Paged>(`${v1}/activity`, { ...filter }),
};

/** Support sees whose request it is. */
export type SupportPoolRequest = PoolRequest & { reseller_name: string };

const support = "/api/support/v1";
export const supportApi = {
  /** `q`: name or email contains, case-insensitive. */
  resellers: (q: string, cursor?: string) =>
    get<{ resellers: ResellerOverview[] } & Paged>(`${support}/resellers`, { q, limit: 50, cursor }),
  /** A new pool outside the catalog (source "adjustment", named "Support grant"). */
  grantPool: (resellerId: string, licenseType: string, total: number, reason: string) =>
    post<{ pool: Pool }>(`${support}/resellers/${encodeURIComponent(resellerId)}/pools`, {
      license_type: licenseType,
      total,
      reason,
    }),
  adjustPool: (poolId: string, total: number, reason: string) =>
    post<{ pool: Pool }>(`${support}/pools/${encodeURIComponent(poolId)}/adjust`, { total, reason }),
  requests: (status?: PoolRequest["status"]) =>
    get<{ pool_requests: SupportPoolRequest[] } & Paged>(`${support}/pool-requests`, { status, limit: 100 }),
  decide: (requestId: string, decision: "approve" | "decline", reason?: string) =>
    post<{ pool_request: PoolRequest; pool: Pool | null }>(
      `${support}/pool-requests/${encodeURIComponent(requestId)}/${decision}`,
      {
        ...(reason ? { reason } : {}),
      },
    ),
};
