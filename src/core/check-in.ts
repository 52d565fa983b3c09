import type { InferResult } from "kysely";
import { LRUCache } from "lru-cache";
import { canonicalJson } from "../contracts/canonical-json.js";
import type { CheckInBody } from "../contracts/schemas.js";
import type { CheckInAnswer, LicensePayload } from "../contracts/types.js";
import { isForeignKeyViolation } from "../db/connect.js";
import { preparedRead } from "../db/prepared.js";
import type { Db, LicenseDocumentsTable } from "../db/schema.js";
import { AppError } from "./app-error.js";
import { type CheckInDecision, decideCheckIn } from "./check-in-decision.js";
import { type CheckInSettings, jitteredIntervalS, windowFresh } from "./check-in-settings.js";
import { hashSecret } from "./ids.js";
import type { LastSeenRecorder } from "./last-seen-recorder.js";
import type { KeyRing } from "./signing.js";
import { normaliseSiteUrl } from "./site-url.js";

export interface CheckInDeps {
  db: Db;
  keys: KeyRing;
  lastSeen: LastSeenRecorder;
  settings: CheckInSettings;
  answers: AnswerCache;
}

/** A client's current answer (without the jittered advice), valid while its revision and signing key are current. */
interface CachedAnswer {
  answer: Omit<CheckInAnswer, "next_check_in_s">;
  revision: number;
  kid: string;
  issuedAtMs: number;
  validUntilMs: number;
  siteNorm: string;
}
export type AnswerCache = LRUCache<string, CachedAnswer>;
/** Per app process; every hit is still checked against the database's revision, so several processes stay exact. */
export const newAnswerCache = (max: number): AnswerCache => new LRUCache({ max });

type ClientState = {
  id: string;
  status: "active" | "suspended";
  site_url: string;
  site_norm: string;
  license_revision: number;
  license_type: string | null;
};
/** A client's signed document as kept in license_documents (the row without its key). */
type StoredDocument = Omit<LicenseDocumentsTable, "client_id">;

/** The hot read: which client a site key opens, and its revision. One covering-index lookup, prepared once. */
const headQuery = (db: Db) => db.selectFrom("clients").select(["id", "license_revision"]).where("site_key_hash", "=", "");
const heads = new WeakMap<Db, ReturnType<typeof preparedRead<InferResult<ReturnType<typeof headQuery>>[number]>>>();
function headFor(db: Db) {
  let head = heads.get(db);
  if (!head) {
    head = preparedRead(db, headQuery(db));
    heads.set(db, head);
  }
  return head;
}

/** The full read, when the cached answer is missing or stale: the client, its license and its current document. */
const lookupQuery = (db: Db) =>
  db
    .selectFrom("clients")
    .leftJoin("licenses", "licenses.client_id", "clients.id")
    .leftJoin("pools", "pools.id", "licenses.pool_id")
    .leftJoin("license_documents as doc", "doc.client_id", "clients.id")
    .select([
      "clients.id",
      "clients.status",
      "clients.site_url",
      "clients.site_norm",
      "clients.license_revision",
      "pools.license_type",
      "doc.revision as doc_revision",
      "doc.kid as doc_kid",
      "doc.status as doc_status",
      "doc.license_type as doc_license_type",
      "doc.site_url as doc_site_url",
      "doc.issued_at as doc_issued_at",
      "doc.valid_until as doc_valid_until",
      "doc.payload as doc_payload",
      "doc.signature as doc_signature",
    ])
    .where("clients.site_key_hash", "=", "");
const lookups = new WeakMap<Db, ReturnType<typeof preparedRead<LookupRow>>>();
type LookupRow = InferResult<ReturnType<typeof lookupQuery>>[number];
function lookupFor(db: Db) {
  let lookup = lookups.get(db);
  if (!lookup) {
    lookup = preparedRead(db, lookupQuery(db));
    lookups.set(db, lookup);
  }
  return lookup;
}

/**
 * A plugin asks what it is entitled to. The hot path is one covering-index read (site key -> client and revision) and
 * an in-process cache hit; no write. The signed document is made only when the license state changed (every change
 * bumps the revision) or it aged past 1/8 of its window, and kept in the database so every app server serves the same
 * one. Last-seen fields go to the batched recorder. No audit rows: check-ins are heartbeats, not changes.
 */
export async function checkIn(deps: CheckInDeps, siteKey: string, body: CheckInBody, now = new Date()): Promise<CheckInAnswer> {
  const hash = hashSecret(siteKey);
  const head = await headFor(deps.db)(hash);
  if (!head) throw unknownSiteKey();
  // Checked before anything is signed or stored: a refused check-in leaves no trace in the database.
  const assertSite = (siteNorm: string) => {
    if (body.site_url !== undefined && normaliseSiteUrl(body.site_url).key !== siteNorm) {
      throw new AppError("site_mismatch", "This site key belongs to another site. Ask your provider for this site's key.", {
        field: "site_url",
      });
    }
  };
  let cached = deps.answers.get(head.id);
  if (
    !cached ||
    cached.revision !== Number(head.license_revision) ||
    cached.kid !== deps.keys.activeKid ||
    !windowFresh(deps.settings, cached.issuedAtMs, cached.validUntilMs, now.getTime())
  )
    cached = await currentAnswer(deps, hash, now, assertSite);
  else assertSite(cached.siteNorm);
  deps.lastSeen.record(head.id, now.toISOString(), body.plugin_version);
  return { ...cached.answer, next_check_in_s: jitteredIntervalS(deps.settings) };
}

/** Reads the client in full, reuses its stored document if it still says the truth, else signs a new one; caches it. */
async function currentAnswer(
  deps: CheckInDeps,
  siteKeyHash: string,
  now: Date,
  assertSite: (siteNorm: string) => void,
): Promise<CachedAnswer> {
  const row = await lookupFor(deps.db)(siteKeyHash);
  if (!row) throw unknownSiteKey();
  assertSite(row.site_norm);
  const decision = decideCheckIn(row.status, row.license_type ?? null);
  const stored: StoredDocument | null =
    row.doc_payload && row.doc_signature && row.doc_kid && row.doc_status && row.doc_site_url && row.doc_issued_at
      ? {
          revision: Number(row.doc_revision),
          kid: row.doc_kid,
          status: row.doc_status,
          license_type: row.doc_license_type ?? null,
          site_url: row.doc_site_url,
          issued_at: row.doc_issued_at,
          valid_until: row.doc_valid_until ?? "",
          payload: row.doc_payload,
          signature: row.doc_signature,
        }
      : null;
  const doc = stillTrue(stored, row, decision, deps, now) ? stored : await signDocument(deps, row, decision, now);
  const entry: CachedAnswer = {
    answer: {
      ...decision,
      client_id: row.id,
      revision: doc.revision,
      issued_at: doc.issued_at,
      valid_until: doc.valid_until,
      key_id: doc.kid,
      signed_license: { kid: doc.kid, payload: doc.payload, signature: doc.signature },
    },
    revision: Number(row.license_revision),
    kid: doc.kid,
    issuedAtMs: Date.parse(doc.issued_at),
    validUntilMs: Date.parse(doc.valid_until),
    siteNorm: row.site_norm,
  };
  deps.answers.set(row.id, entry);
  return entry;
}

/**
 * The stored document may be served again only if it still says exactly what a fresh one would, was signed by the
 * key that signs now (so a rotation moves every site to the new key at its next check-in) and is young enough.
 */
function stillTrue(
  doc: StoredDocument | null,
  client: ClientState,
  decision: CheckInDecision,
  deps: CheckInDeps,
  now: Date,
): doc is StoredDocument {
  if (!doc) return false;
  return (
    doc.revision === Number(client.license_revision) &&
    doc.kid === deps.keys.activeKid &&
    doc.status === decision.status &&
    doc.license_type === decision.license_type &&
    doc.site_url === client.site_url &&
    windowFresh(deps.settings, Date.parse(doc.issued_at), Date.parse(doc.valid_until), now.getTime())
  );
}

/** Signs what the client is entitled to now and keeps it; of two racing check-ins the newer revision wins. */
async function signDocument(
  deps: CheckInDeps,
  client: ClientState,
  decision: CheckInDecision,
  now: Date,
): Promise<StoredDocument> {
  const kid = deps.keys.activeKid;
  const payload: LicensePayload = {
    client_id: client.id,
    site_url: client.site_url,
    status: decision.status,
    tier: decision.tier,
    license_type: decision.license_type,
    features: decision.features,
    revision: Number(client.license_revision),
    issued_at: now.toISOString(),
    valid_until: new Date(now.getTime() + deps.settings.graceS * 1000).toISOString(),
    kid,
  };
  const bytes = Buffer.from(canonicalJson(payload));
  const doc: StoredDocument = {
    revision: payload.revision,
    kid,
    status: payload.status,
    license_type: payload.license_type,
    site_url: payload.site_url,
    issued_at: payload.issued_at,
    valid_until: payload.valid_until,
    payload: bytes.toString("base64url"),
    signature: deps.keys.sign(bytes),
  };
  try {
    await storeDocument(deps.db, client.id, doc);
  } catch (err) {
    // The client was offboarded between our read and this write: its key no longer opens anything.
    if (isForeignKeyViolation(err)) throw unknownSiteKey();
    throw err;
  }
  return doc;
}

function storeDocument(db: Db, clientId: string, doc: StoredDocument) {
  return db
    .insertInto("license_documents")
    .values({ client_id: clientId, ...doc })
    .onConflict((oc) =>
      oc
        .column("client_id")
        .doUpdateSet((eb) => ({
          revision: eb.ref("excluded.revision"),
          kid: eb.ref("excluded.kid"),
          status: eb.ref("excluded.status"),
          license_type: eb.ref("excluded.license_type"),
          site_url: eb.ref("excluded.site_url"),
          issued_at: eb.ref("excluded.issued_at"),
          valid_until: eb.ref("excluded.valid_until"),
          payload: eb.ref("excluded.payload"),
          signature: eb.ref("excluded.signature"),
        }))
        .where((eb) => eb("license_documents.revision", "<=", eb.ref("excluded.revision"))),
    )
    .execute();
}

const unknownSiteKey = () =>
  new AppError("unauthorized", "Unknown site key. It may have been regenerated or the client offboarded.");
