/** Response shapes of the public API (snake_case, as sent on the wire). The dashboard and SDK use them. */
export type LicenseType = string;
export type PoolSource = "plan" | "top_up" | "adjustment";
export type ClientStatus = "active" | "suspended";
export type CheckInStatus = "licensed" | "suspended" | "unlicensed";

export interface Plan {
  id: string;
  name: string;
  license_type: LicenseType;
  slots: number;
  kind: "plan" | "top_up";
  price_cents: number;
}
export interface Pool {
  id: string;
  /** The plan it was bought as (e.g. "Premium 25"), or "Support grant". */
  name: string;
  license_type: LicenseType;
  total: number;
  used: number;
  unallocated: number;
  source: PoolSource;
  created_at: string;
}
export interface Purchase {
  id: string;
  plan_id: string;
  plan_name: string;
  pool_id: string;
  created_at: string;
}
export interface ClientLicense {
  pool_id: string;
  license_type: LicenseType;
  allocated_at: string;
}
export interface Client {
  id: string;
  name: string;
  site_url: string;
  status: ClientStatus;
  license: ClientLicense | null;
  site_key_prefix: string;
  last_check_in_at: string | null;
  plugin_version: string | null;
  created_at: string;
}
export interface License {
  client_id: string;
  pool_id: string;
  license_type: LicenseType;
  allocated_at: string;
}
export interface PoolHolder {
  id: string;
  name: string;
  site_url: string;
  status: ClientStatus;
  allocated_at: string;
  last_check_in_at: string | null;
}
export interface ActivityEntry {
  id: string;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  client_id: string | null;
  /** The client's name when the change happened. */
  client_name: string | null;
  pool_id: string | null;
  before: unknown;
  after: unknown;
  created_at: string;
}
export interface PoolRequest {
  id: string;
  pool_id: string;
  reseller_id: string;
  requested_total: number;
  current_total: number;
  note: string;
  status: "pending" | "approved" | "declined";
  decision_reason: string | null;
  decided_at: string | null;
  created_at: string;
}
export interface Reseller {
  id: string;
  name: string;
  email: string;
  /**
   * The start of an API key, to tell keys apart: the key the request came with, or for a dashboard session the
   * reseller's oldest active read-write key (null when it has none). `GET /api-keys` lists them all.
   */
  api_key_prefix: string | null;
  created_at: string;
}
export interface CheckInFeatures {
  firewall_rules: boolean;
  malware_signatures: boolean;
  threat_intel_sync: boolean;
}
/** An Ed25519 public key as published at GET /api/plugin/v1/keys (RFC 8037 OKP JWK). */
export interface Jwk {
  kty: "OKP";
  crv: "Ed25519";
  /** The 32-byte public key, base64url. */
  x: string;
  kid: string;
  use: "sig";
  alg?: "EdDSA";
}
/** A rotation: the new key's JWK signed (canonical JSON bytes) by the key it replaced. */
export interface KeyEndorsement {
  jwk: Jwk;
  endorsed_by: string;
  signature: string;
}
/** GET /api/plugin/v1/keys: a JWKS, plus the endorsement chain so a plugin pinning an older key can follow rotations. */
export interface KeySet {
  keys: Jwk[];
  endorsements: KeyEndorsement[];
}
/** What a license document says; `payload` of a SignedLicense is base64url of its canonical JSON. */
export interface LicensePayload {
  client_id: string;
  site_url: string;
  status: CheckInStatus;
  tier: LicenseType | "free";
  license_type: LicenseType | null;
  features: CheckInFeatures;
  /** Grows with every change of the client's license state: a plugin refuses a document older than the one it holds. */
  revision: number;
  issued_at: string;
  /** End of the offline grace window: until then a plugin that cannot reach the server may keep trusting it. */
  valid_until: string;
  kid: string;
}
/** The only part of a check-in answer a plugin should trust: verify `signature` over the decoded `payload` bytes. */
export interface SignedLicense {
  kid: string;
  payload: string;
  signature: string;
}
/**
 * The check-in answer. The top-level fields mirror the signed document for convenience and logging;
 * `next_check_in_s` (jittered) is advice and is not signed.
 */
export interface CheckInAnswer {
  status: CheckInStatus;
  tier: LicenseType | "free";
  license_type: LicenseType | null;
  features: CheckInFeatures;
  next_check_in_s: number;
  client_id: string;
  revision: number;
  issued_at: string;
  valid_until: string;
  /** The kid of the key that signed `signed_license`. */
  key_id: string;
  signed_license: SignedLicense;
}
export interface Page<K extends string, T> {
  next_cursor: string | null;
  items: Record<K, T[]>;
}
/** What a reseller's user may do: owners everything (users, API keys), staff clients and licenses, viewers read. */
export type ResellerRole = "owner" | "staff" | "viewer";
/** An API key reads only (`read`, like a viewer) or also changes clients and licenses (`read_write`, like staff). */
export type ApiKeyScope = "read" | "read_write";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: "reseller" | "support";
  /** Null for support users. */
  reseller_role: ResellerRole | null;
  reseller_id: string | null;
  reseller_name: string | null;
}
/** A user of a reseller account (GET /api/v1/users). */
export interface TeamUser {
  id: string;
  email: string;
  name: string | null;
  role: ResellerRole;
  created_at: string;
}
/** A pending invite (GET /api/v1/invites); the link itself is shown once, when it is made. */
export interface Invite {
  id: string;
  email: string;
  role: ResellerRole;
  invited_by: string;
  created_at: string;
  expires_at: string;
}
/** What the accept page shows before a password is chosen (GET /api/auth/invites/:token). */
export interface InvitePreview {
  email: string;
  role: ResellerRole;
  reseller_name: string;
  invited_by: string;
  expires_at: string;
}
/** An API key as listed: its prefix and last use, never the key. */
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scope: ApiKeyScope;
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
