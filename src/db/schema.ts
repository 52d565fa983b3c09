import type { Generated, Insertable, Kysely, Selectable, Transaction } from "kysely";

/** Table types. Timestamps are RFC 3339 UTC strings in both dialects so they sort and compare as text. */
export interface ResellersTable {
  id: string;
  name: string;
  email: string;
  /** Legacy (before api_keys): a non-secret placeholder since migration 0003; nothing authenticates with it. */
  api_key_hash: string;
  /** Legacy, always "" since migration 0003. */
  api_key_prefix: string;
  search_text: string;
  created_at: string;
}
export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  role: "reseller" | "support";
  reseller_id: string | null;
  /** What a reseller user may do (owner / staff / viewer); null for support users. */
  reseller_role: "owner" | "staff" | "viewer" | null;
  name: string | null;
  created_at: string;
}
export interface SessionsTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  /** The absolute end of the session; the idle timeout counts from last_seen_at (written at most once a minute). */
  expires_at: string;
  last_seen_at: string | null;
}
/** A reseller's API keys: only the SHA-256 and a short prefix of each are kept. Revoked keys stay for the record. */
export interface ApiKeysTable {
  id: string;
  reseller_id: string;
  name: string;
  prefix: string;
  hash: string;
  scope: "read" | "read_write";
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}
/** One-time invite links for a reseller's new users; only the token's hash is kept. */
export interface InvitesTable {
  id: string;
  reseller_id: string;
  email: string;
  role: "owner" | "staff" | "viewer";
  token_hash: string;
  invited_by: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  accepted_user_id: string | null;
}
/** Failed sign-ins per hashed email or client address, and the lockout they led to. */
export interface LoginThrottlesTable {
  key: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
}
export interface SupportTokensTable {
  id: string;
  token_hash: string;
  token_prefix: string;
  label: string;
  created_at: string;
}
export interface PlansTable {
  id: string;
  name: string;
  license_type: string;
  slots: number;
  kind: "plan" | "top_up";
  price_cents: number;
  sort_order: number;
}
export interface PurchasesTable {
  id: string;
  reseller_id: string;
  plan_id: string;
  pool_id: string;
  created_at: string;
}
export interface PoolsTable {
  id: string;
  reseller_id: string;
  license_type: string;
  /** Where it came from, in words: the plan's name, or "Support grant". */
  name: string;
  total: number;
  used: number;
  source: "plan" | "top_up" | "adjustment";
  created_at: string;
}
export interface ClientsTable {
  id: string;
  reseller_id: string;
  name: string;
  site_url: string;
  site_norm: string;
  search_text: string;
  status: "active" | "suspended";
  site_key_hash: string;
  site_key_prefix: string;
  last_check_in_at: string | null;
  plugin_version: string | null;
  /** Grows with every change to the client (its license state above all): orders its signed documents. */
  license_revision: Generated<number>;
  created_at: string;
  updated_at: string;
}
export interface LicensesTable {
  id: string;
  client_id: string;
  pool_id: string;
  reseller_id: string;
  allocated_at: string;
}
export interface PoolRequestsTable {
  id: string;
  reseller_id: string;
  pool_id: string;
  requested_total: number;
  current_total: number;
  note: string;
  status: "pending" | "approved" | "declined";
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
}
export interface ActivityTable {
  id: string;
  reseller_id: string | null;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  client_id: string | null;
  client_name: string | null;
  pool_id: string | null;
  other_pool_id: string | null;
  before_json: string | null;
  after_json: string | null;
  created_at: string;
}
export interface SigningKeysTable {
  id: string;
  public_key_pem: string;
  private_key_pem: string;
  created_at: string;
  /** When a newer key took over signing; null for the active key. */
  superseded_at: string | null;
  /** The key that endorsed this one at rotation, and its signature over this key's JWK (canonical JSON). */
  endorsed_by: string | null;
  endorsement: string | null;
}
/** The current signed license document of a client, re-signed when the license state changes or the window runs low. */
export interface LicenseDocumentsTable {
  client_id: string;
  revision: number;
  kid: string;
  status: string;
  license_type: string | null;
  site_url: string;
  issued_at: string;
  valid_until: string;
  /** base64url of the canonical JSON bytes that were signed. */
  payload: string;
  /** base64url of the detached Ed25519 signature over those bytes. */
  signature: string;
}
/**
 * One `Idempotency-Key` of a reseller's API writes, kept 24 h: the claim while the first request runs (`in_flight`),
 * marked `committed` inside the operation's own transaction, then its answer (`done`). See core/idempotency.ts.
 */
export interface IdempotencyKeysTable {
  /** New on every claim: the compare-and-swap token for completing or taking over a claim. */
  id: string;
  reseller_id: string;
  /** SHA-256 of the key as sent. */
  key_hash: string;
  method: string;
  path: string;
  /** Fingerprint of credential, method, route, params, query and canonical body. */
  request_hash: string;
  /** `in_flight` (claimed), `committed` (the operation's change committed, answer not stored yet), `done` (answered). */
  status: "in_flight" | "committed" | "done";
  response_status: number | null;
  /** Sealed (AES-256-GCM) under a key derived from the caller's credential and the idempotency key. */
  response_body: string | null;
  created_at: string;
  expires_at: string;
}

export interface Database {
  resellers: ResellersTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  invites: InvitesTable;
  login_throttles: LoginThrottlesTable;
  support_tokens: SupportTokensTable;
  plans: PlansTable;
  purchases: PurchasesTable;
  pools: PoolsTable;
  clients: ClientsTable;
  licenses: LicensesTable;
  pool_requests: PoolRequestsTable;
  activity: ActivityTable;
  signing_keys: SigningKeysTable;
  license_documents: LicenseDocumentsTable;
  idempotency_keys: IdempotencyKeysTable;
}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the root handle or a transaction: core helpers that only read or join an outer transaction take this. */
export type DbOrTx = Kysely<Database>;
export type PoolRow = Selectable<PoolsTable>;
export type ClientRow = Selectable<ClientsTable>;
export type NewActivity = Insertable<ActivityTable>;
