import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../src/contracts/canonical-json.js";
import type { CheckInAnswer, KeySet, LicensePayload, SignedLicense } from "../src/contracts/types.js";
import { rotateSigningKey } from "../src/core/signing.js";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { decodePayload, impostorKey, keySetOf } from "./helpers/plugin.js";
import { startWorld, type World } from "./helpers/world.js";

/** Runs docs/plugin/verify.php through a small driver that reads {signed_license, jwks, ...} on stdin. */
const DRIVER = fileURLToPath(new URL("./php/verify-cli.php", import.meta.url));
// Every notice or warning goes to stderr, and any stderr output fails the test: the verifier must be quiet on any input.
const PHP_ARGS = ["-d", "display_errors=stderr", "-d", "error_reporting=-1"];

/** Why the PHP verifier cannot be tested here, or null when it can. */
function phpUnavailableReason(): string | null {
  const probe = spawnSync("php", [...PHP_ARGS, "-r", "echo PHP_VERSION, ' ', extension_loaded('sodium') ? 'sodium' : '';"], {
    encoding: "utf8",
  });
  if (probe.error) return "no `php` on PATH (apt-get install php-cli)";
  const [version, sodium] = probe.stdout.trim().split(" ");
  if (probe.status !== 0 || !version) return `\`php\` did not run: ${probe.stderr.trim()}`;
  if (sodium !== "sodium") return `PHP ${version} has no sodium extension`;
  return null;
}

type PhpResult = { ok: true; license: LicensePayload; kids: string[] } | { ok: false; reason: string };

interface PhpInput {
  signed_license: SignedLicense | Record<string, unknown>;
  jwks: { keys: unknown[] };
  site_url?: string;
  held?: LicensePayload;
  /** Unix seconds. */
  now?: number;
  key_set?: unknown;
}

function phpVerify(input: PhpInput): Promise<PhpResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("php", [...PHP_ARGS, DRIVER], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.once("error", reject);
    child.once("close", (code) => {
      if (code !== 0 || err) reject(new Error(`php exited with ${code}: ${err}${out}`));
      else resolve(JSON.parse(out) as PhpResult);
    });
    child.stdin.end(JSON.stringify(input));
  });
}

const unixS = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const encode = (p: unknown) => Buffer.from(canonicalJson(p)).toString("base64url");

const reason = phpUnavailableReason();
if (reason && process.env.REQUIRE_PHP === "1") throw new Error(`REQUIRE_PHP=1 but ${reason}`);
if (reason) {
  describe.skip(`docs/plugin/verify.php (PHP) — skipped: ${reason}; set REQUIRE_PHP=1 to make this a failure`, () => {
    it("verifies documents signed by the running server", () => {});
  });
}

describe.each(reason ? [] : await dialectsUnderTest())(
  "docs/plugin/verify.php in php-cli, against a running server (%s)",
  (dialect) => {
    let w: World;
    beforeAll(async () => {
      w = await startWorld(dialect);
    });
    afterAll(() => w.server.close());

    /** A site (licensed unless told otherwise), its first check-in answer and the server's key set. */
    async function siteWithDocument(licensed = true) {
      const pool = licensed ? await w.purchase() : undefined;
      const { client: c, site_key } = await w.onboard(pool);
      const answer = (await w.checkIn(site_key)).body as CheckInAnswer;
      return { client: c, site_key, doc: answer.signed_license, jwks: await keySetOf(w.server.url) };
    }

    it("accepts the server's document with the published JWKS and returns exactly the signed payload", async () => {
      const { client: c, doc, jwks } = await siteWithDocument();
      const result = await phpVerify({ signed_license: doc, jwks });
      expect(result).toEqual({ ok: true, license: decodePayload(doc), kids: jwks.keys.map((k) => k.kid) });
      expect(result.ok && result.license).toMatchObject({
        client_id: c.id,
        site_url: c.site_url,
        status: "licensed",
        tier: "premium",
        features: { firewall_rules: true, malware_signatures: true, threat_intel_sync: true },
        kid: doc.kid,
      });
      // The site check compares sites the way the server does: scheme, www., case and a trailing slash do not count.
      const sameSite = c.site_url.replace("https://", "http://www.").toUpperCase().concat("/");
      expect(await phpVerify({ signed_license: doc, jwks, site_url: sameSite })).toMatchObject({ ok: true });
    });

    it("rejects a tampered payload: one field changed, one byte flipped, or the signature altered", async () => {
      const { doc, jwks } = await siteWithDocument(false);
      const payload = decodePayload(doc);
      expect(payload.status).toBe("unlicensed");
      const promoted = { ...payload, status: "licensed", tier: "premium", license_type: "premium" };
      const flipped = Buffer.from(doc.payload, "base64url");
      flipped[10] = (flipped[10] ?? 0) ^ 1;
      const badSignature = Buffer.from(doc.signature, "base64url");
      badSignature[0] = (badSignature[0] ?? 0) ^ 1;
      for (const forged of [
        { ...doc, payload: encode(promoted) },
        { ...doc, payload: flipped.toString("base64url") },
        { ...doc, signature: badSignature.toString("base64url") },
      ]) {
        expect(await phpVerify({ signed_license: forged, jwks })).toEqual({ ok: false, reason: "bad_signature" });
      }
    });

    it("rejects a document checked against a different key under the same kid, and one an impostor signed", async () => {
      const { doc, jwks } = await siteWithDocument(false);
      const impostor = impostorKey(doc.kid);
      const otherKeySameKid = { keys: [impostor.jwk] };
      expect(await phpVerify({ signed_license: doc, jwks: otherKeySameKid })).toEqual({ ok: false, reason: "bad_signature" });
      const forged = impostor.signDocument({ ...decodePayload(doc), status: "licensed", tier: "premium" });
      expect(await phpVerify({ signed_license: forged, jwks })).toEqual({ ok: false, reason: "bad_signature" });
    });

    it("rejects a kid the pinned key set does not hold", async () => {
      const { doc, jwks } = await siteWithDocument();
      expect(await phpVerify({ signed_license: doc, jwks: { keys: [impostorKey("key_other").jwk] } })).toEqual({
        ok: false,
        reason: "unknown_key",
      });
      expect(await phpVerify({ signed_license: { ...doc, kid: "key_unknown" }, jwks })).toEqual({
        ok: false,
        reason: "unknown_key",
      });
      const rogue = impostorKey("key_rogue").signDocument({ ...decodePayload(doc), kid: "key_rogue" });
      expect(await phpVerify({ signed_license: rogue, jwks })).toEqual({ ok: false, reason: "unknown_key" });
    });

    it("rejects another site's document, a replayed older revision, and one outside its validity window", async () => {
      const pool = await w.purchase();
      const { client: c, site_key } = await w.onboard(pool);
      const jwks = await keySetOf(w.server.url);
      const premium = ((await w.checkIn(site_key)).body as CheckInAnswer).signed_license;
      await w.api("DELETE", `/api/v1/clients/${c.id}/license`);
      const revoked = ((await w.checkIn(site_key)).body as CheckInAnswer).signed_license;
      const [premiumPayload, revokedPayload] = [decodePayload(premium), decodePayload(revoked)];
      expect(revokedPayload.revision).toBeGreaterThan(premiumPayload.revision);

      expect(await phpVerify({ signed_license: premium, jwks, site_url: "https://elsewhere.example" })).toEqual({
        ok: false,
        reason: "wrong_site",
      });
      expect(await phpVerify({ signed_license: premium, jwks, held: revokedPayload })).toEqual({ ok: false, reason: "replayed" });
      expect(await phpVerify({ signed_license: revoked, jwks, held: premiumPayload })).toMatchObject({
        ok: true,
        license: { status: "unlicensed", tier: "free" },
      });

      const issued = unixS(premiumPayload.issued_at);
      const until = unixS(premiumPayload.valid_until);
      expect(until - issued).toBe(72 * 3600);
      const at = (now: number) => phpVerify({ signed_license: premium, jwks, now });
      expect(await at(until + 60)).toMatchObject({ ok: true }); // within the default 5 minutes of clock skew
      expect(await at(until + 3600)).toEqual({ ok: false, reason: "expired" });
      expect(await at(issued - 60)).toMatchObject({ ok: true });
      expect(await at(issued - 3600)).toEqual({ ok: false, reason: "not_yet_valid" });
    });

    it("calls anything that is not a signed license document malformed, without a PHP warning", async () => {
      const { doc, jwks } = await siteWithDocument();
      const junk = impostorKey("key_junk");
      for (const bad of [
        {},
        { ...doc, payload: "not base64url!" },
        { ...doc, signature: 42 },
        { ...doc, payload: "" },
        // Correctly signed, but not a license: not JSON, and a license whose inner kid differs from the outer one.
        {
          kid: "key_junk",
          payload: Buffer.from("not json").toString("base64url"),
          signature: junk.sign(Buffer.from("not json")),
        },
        junk.signDocument({ ...decodePayload(doc), kid: "key_other" }),
      ]) {
        const input = { kid: "key_junk", ...bad } as Record<string, unknown>;
        const keys = { keys: [...jwks.keys, { ...junk.jwk }] };
        expect(await phpVerify({ signed_license: input, jwks: keys }), JSON.stringify(bad)).toEqual({
          ok: false,
          reason: "malformed",
        });
      }
    });

    it("follows a key rotation through the old key's endorsement, and not through a forged one", async () => {
      const { site_key, doc: before } = await siteWithDocument();
      const pinned = await keySetOf(w.server.url);
      const { kid } = await rotateSigningKey(w.server.db, "test");
      await w.server.app.licensing.refreshKeys();
      const after = ((await w.checkIn(site_key)).body as CheckInAnswer).signed_license;
      expect(after.kid).toBe(kid);
      const keySet = await keySetOf(w.server.url);

      // Pinned before the rotation: the new key is unknown until its endorsement by the pinned key is checked.
      expect(await phpVerify({ signed_license: after, jwks: pinned })).toEqual({ ok: false, reason: "unknown_key" });
      const followed = await phpVerify({ signed_license: after, jwks: pinned, key_set: keySet });
      expect(followed).toMatchObject({ ok: true, license: { kid, status: "licensed" } });
      expect(followed.ok && [...followed.kids].sort()).toEqual([before.kid, kid].sort());
      // The old key's documents stay verifiable with the published set until they expire.
      expect(await phpVerify({ signed_license: before, jwks: keySet })).toMatchObject({ ok: true });

      // A rogue key "endorsed" by the real kid, but signed by itself: never trusted.
      const rogue = impostorKey("key_rogue");
      const forgedKeySet: KeySet = {
        keys: [...keySet.keys, rogue.jwk],
        endorsements: [
          ...keySet.endorsements,
          { jwk: rogue.jwk, endorsed_by: kid, signature: rogue.sign(Buffer.from(canonicalJson(rogue.jwk))) },
        ],
      };
      const forged = rogue.signDocument({ ...decodePayload(after), kid: "key_rogue" });
      expect(await phpVerify({ signed_license: forged, jwks: pinned, key_set: forgedKeySet })).toEqual({
        ok: false,
        reason: "unknown_key",
      });
    });
  },
);
