import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { monotonicFactory } from "ulid";

const ulid = monotonicFactory();

/** Opaque, time-ordered ids (`cli_01J...`): sorting by id is sorting by creation, which pagination relies on. */
export const newId = (prefix: string) => `${prefix}_${ulid().toLowerCase()}`;

export const nowIso = () => new Date().toISOString();

/** A high-entropy secret with a readable prefix. Only its SHA-256 and a short visible prefix are stored. */
export function newSecret(kind: "live" | "site" | "sup" | "sess" | "inv"): { plaintext: string; hash: string; prefix: string } {
  const plaintext = `lp_${kind}_${randomBytes(24).toString("base64url")}`;
  return { plaintext, hash: hashSecret(plaintext), prefix: plaintext.slice(0, kind.length + 8) };
}

/** SHA-256 is right here (not a slow KDF): these secrets carry 192 random bits, so there is nothing to brute-force. */
export const hashSecret = (plaintext: string) => createHash("sha256").update(plaintext).digest("hex");

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
