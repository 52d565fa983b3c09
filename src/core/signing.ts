import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { canonicalJson } from "../contracts/canonical-json.js";
import type { Jwk, KeySet } from "../contracts/types.js";
import type { Db, DbOrTx } from "../db/schema.js";
import { recordActivity } from "./activity.js";
import { newId, nowIso } from "./ids.js";

/**
 * The server's Ed25519 signing keys, kept in the database (never in the repo): the newest signs, older ones stay listed
 * (GET /api/plugin/v1/keys) until every document they signed has expired. A key ring re-reads the table now and then,
 * so a rotation made by the CLI reaches every running app server within `refreshMs`.
 */
export interface KeyRing {
  /** The kid that signs new documents. */
  readonly activeKid: string;
  readonly activePublicKeyPem: string;
  /** Detached Ed25519 signature, base64url, over exactly these bytes. */
  sign(bytes: Buffer): string;
  /** The JWKS to publish at `now`, with the endorsement chain of every rotation. */
  keySet(now?: Date): KeySet;
  refresh(): Promise<void>;
  close(): void;
}

interface LoadedKey {
  kid: string;
  publicKeyPem: string;
  privateKey: KeyObject;
  jwk: Jwk;
  supersededAt: string | null;
  endorsedBy: string | null;
  endorsement: string | null;
}

/** The public half as a JWK, the shape libsodium-based verifiers (and the SDK) pin. */
export function publicJwk(kid: string, publicKeyPem: string): Jwk {
  const { x } = createPublicKey(publicKeyPem).export({ format: "jwk" }) as { x: string };
  return { kty: "OKP", crv: "Ed25519", x, kid, use: "sig", alg: "EdDSA" };
}

/** The bytes an endorsement signs: the new key's JWK, canonical JSON. */
export const endorsementBytes = (jwk: Jwk) => Buffer.from(canonicalJson(jwk));

function newKeyRow(endorser?: { kid: string; privateKey: KeyObject }) {
  const pair = generateKeyPairSync("ed25519");
  const id = newId("key");
  const publicKeyPem = pair.publicKey.export({ type: "spki", format: "pem" }).toString();
  return {
    id,
    public_key_pem: publicKeyPem,
    private_key_pem: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    created_at: nowIso(),
    superseded_at: null,
    endorsed_by: endorser?.kid ?? null,
    endorsement: endorser
      ? sign(null, endorsementBytes(publicJwk(id, publicKeyPem)), endorser.privateKey).toString("base64url")
      : null,
  };
}

async function loadKeys(db: DbOrTx): Promise<LoadedKey[]> {
  const rows = await db.selectFrom("signing_keys").selectAll().orderBy("id", "desc").execute();
  return rows.map((r) => ({
    kid: r.id,
    publicKeyPem: r.public_key_pem,
    privateKey: createPrivateKey(r.private_key_pem),
    jwk: publicJwk(r.id, r.public_key_pem),
    supersededAt: r.superseded_at,
    endorsedBy: r.endorsed_by,
    endorsement: r.endorsement,
  }));
}

/**
 * Opens the key ring, making the first key on a brand-new database. `listedForS`: how long a superseded key stays
 * published; it must cover the longest offline grace window of any document the key signed.
 */
export async function openKeyRing(db: Db, opts: { listedForS: number; refreshMs?: number }): Promise<KeyRing> {
  let keys = await loadKeys(db);
  if (keys.length === 0) {
    // Two servers starting on one empty database may both get here: both keys are listed, the newest signs.
    await db.insertInto("signing_keys").values(newKeyRow()).execute();
    keys = await loadKeys(db);
  }
  const active = () => keys[0] as LoadedKey;
  const timer = setInterval(() => {
    ring.refresh().catch(() => {}); // a failed refresh keeps the keys we have
  }, opts.refreshMs ?? 30_000);
  timer.unref();
  const ring: KeyRing = {
    get activeKid() {
      return active().kid;
    },
    get activePublicKeyPem() {
      return active().publicKeyPem;
    },
    sign: (bytes) => sign(null, bytes, active().privateKey).toString("base64url"),
    keySet(now = new Date()) {
      const listedAfter = new Date(now.getTime() - opts.listedForS * 1000).toISOString();
      return {
        keys: keys.filter((k, i) => i === 0 || (k.supersededAt ?? "") > listedAfter).map((k) => k.jwk),
        endorsements: keys
          .filter((k) => k.endorsedBy && k.endorsement)
          .map((k) => ({ jwk: k.jwk, endorsed_by: k.endorsedBy as string, signature: k.endorsement as string })),
      };
    },
    async refresh() {
      const fresh = await loadKeys(db);
      if (fresh.length > 0) keys = fresh;
    },
    close: () => clearInterval(timer),
  };
  return ring;
}

/**
 * `keys rotate`: a new key signs from now on; the old one is marked superseded (still listed until its documents
 * expire) and endorses the new one, so a plugin that pins the old key can trust the new one without a plugin update.
 */
export async function rotateSigningKey(db: Db, actor: string): Promise<{ kid: string; previous_kid: string | null }> {
  return db.transaction().execute(async (trx) => {
    const current = (await loadKeys(trx)).find((k) => k.supersededAt === null);
    const row = newKeyRow(current ? { kid: current.kid, privateKey: current.privateKey } : undefined);
    const now = nowIso();
    await trx.updateTable("signing_keys").set({ superseded_at: now }).where("superseded_at", "is", null).execute();
    await trx.insertInto("signing_keys").values(row).execute();
    await recordActivity(trx, {
      resellerId: null,
      actor,
      action: "signing_key.rotated",
      subjectType: "signing_key",
      subjectId: row.id,
      before: current ? { kid: current.kid } : null,
      after: { kid: row.id },
    });
    return { kid: row.id, previous_kid: current?.kid ?? null };
  });
}
