import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../src/contracts/canonical-json.js";
import type { CheckInAnswer } from "../src/contracts/types.js";
import { rotateSigningKey } from "../src/core/signing.js";
import { trustedKeysFrom, verifySignedLicense } from "../src/sdk/index.js";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { answeringWith, decodePayload, impostorKey, keySetOf, pluginFor, withDocument } from "./helpers/plugin.js";
import { client, startServer, startWorld, type World } from "./helpers/world.js";

describe.each(await dialectsUnderTest())("signed check-ins, server side (%s)", (dialect) => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld(dialect);
  });
  afterAll(() => w.server.close());

  it("answers with a signed document over canonical JSON bytes, verifiable with the published JWKS", async () => {
    const pool = await w.purchase();
    const { client: c, site_key } = await w.onboard(pool);
    const answer = (await w.checkIn(site_key)).body as CheckInAnswer;
    const payload = decodePayload(answer.signed_license);
    expect(payload).toMatchObject({
      client_id: c.id,
      site_url: c.site_url,
      status: "licensed",
      tier: "premium",
      license_type: "premium",
      features: { firewall_rules: true, malware_signatures: true, threat_intel_sync: true },
      kid: answer.signed_license.kid,
    });
    expect(Buffer.from(answer.signed_license.payload, "base64url").toString()).toBe(canonicalJson(payload));
    expect(Date.parse(payload.valid_until) - Date.parse(payload.issued_at)).toBe(72 * 3600 * 1000);
    const jwks = await keySetOf(w.server.url);
    expect(jwks.keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", kid: payload.kid, use: "sig" });
    expect(verifySignedLicense(answer.signed_license, trustedKeysFrom(jwks.keys))).toEqual(payload);
  });

  it("signs once per license change, not per check-in, and the revision grows with every change", async () => {
    const pool = await w.purchase();
    const { client: c, site_key } = await w.onboard(pool);
    const first = (await w.checkIn(site_key)).body as CheckInAnswer;
    const again = (await w.checkIn(site_key)).body as CheckInAnswer;
    expect(again.signed_license).toEqual(first.signed_license);
    await w.api("POST", `/api/v1/clients/${c.id}/suspend`);
    const suspended = (await w.checkIn(site_key)).body as CheckInAnswer;
    expect(decodePayload(suspended.signed_license)).toMatchObject({ status: "suspended", tier: "free" });
    expect(suspended.revision).toBeGreaterThan(first.revision);
    await w.api("POST", `/api/v1/clients/${c.id}/resume`);
    const resumed = (await w.checkIn(site_key)).body as CheckInAnswer;
    expect(resumed.revision).toBeGreaterThan(suspended.revision);
    expect(resumed.status).toBe("licensed");
  });

  it("spreads next_check_in_s around the interval so a fleet does not come back all at once", async () => {
    const { site_key } = await w.onboard();
    const advice = new Set<number>();
    for (let i = 0; i < 12; i++) advice.add(((await w.checkIn(site_key)).body as CheckInAnswer).next_check_in_s);
    expect(advice.size).toBeGreaterThan(1);
    for (const s of advice) expect(s >= 3240 && s <= 3960).toBe(true);
  });

  it("answers 429 with Retry-After to a site key that checks in more than 60 times a minute", async () => {
    const { site_key } = await w.onboard();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 62; i++) {
      const res = await fetch(`${w.server.url}/api/plugin/v1/check-in`, {
        method: "POST",
        headers: { authorization: `Bearer ${site_key}` },
      });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
      await res.arrayBuffer();
    }
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(60)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it("limits check-ins per client address too, whatever keys it sends (a scan for valid site keys)", async () => {
    const own = await startServer(dialect, { checkIn: { perIpPerMinute: 5 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++)
        statuses.push((await client(own.url, `lp_site_guess${i}`)("POST", "/api/plugin/v1/check-in")).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    } finally {
      await own.close();
    }
  });
});

describe.each(await dialectsUnderTest())("the plugin SDK against a running server (%s)", (dialect) => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld(dialect);
  });
  afterAll(() => w.server.close());

  it("goes premium on the check-in after an allocation, and free on the one after a revoke", async () => {
    const pool = await w.purchase();
    const { client: c, site_key } = await w.onboard();
    const plugin = await pluginFor(w.server.url, site_key, { siteUrl: c.site_url });
    expect(await plugin.checkIn()).toMatchObject({ status: "unlicensed", tier: "free", source: "server" });
    await w.api("POST", `/api/v1/pools/${pool}/allocations`, { client_id: c.id });
    expect(await plugin.checkIn()).toMatchObject({
      status: "licensed",
      tier: "premium",
      source: "server",
      features: { firewall_rules: true, malware_signatures: true, threat_intel_sync: true },
    });
    await w.api("DELETE", `/api/v1/clients/${c.id}/license`);
    expect(await plugin.checkIn()).toMatchObject({
      status: "unlicensed",
      tier: "free",
      source: "server",
      features: { firewall_rules: false, malware_signatures: false, threat_intel_sync: false },
    });
  });

  it("is suspended at once on suspend, and premium again on resume", async () => {
    const pool = await w.purchase();
    const { client: c, site_key } = await w.onboard(pool);
    const plugin = await pluginFor(w.server.url, site_key);
    expect((await plugin.checkIn()).tier).toBe("premium");
    await w.api("POST", `/api/v1/clients/${c.id}/suspend`);
    expect(await plugin.checkIn()).toMatchObject({ status: "suspended", tier: "free", features: { firewall_rules: false } });
    await w.api("POST", `/api/v1/clients/${c.id}/resume`);
    expect(await plugin.checkIn()).toMatchObject({ status: "licensed", tier: "premium", features: { firewall_rules: true } });
  });

  it("rejects a tampered document and one signed by an impostor under the server's kid, keeping what it held", async () => {
    const { site_key } = await w.onboard();
    const real = (await w.checkIn(site_key)).body as CheckInAnswer;
    const payload = decodePayload(real.signed_license);
    const promoted = { ...payload, status: "licensed" as const, tier: "premium", license_type: "premium" };
    promoted.features = { firewall_rules: true, malware_signatures: true, threat_intel_sync: true };
    const tampered = { ...real.signed_license, payload: Buffer.from(canonicalJson(promoted)).toString("base64url") };
    const impostor = impostorKey(real.signed_license.kid).signDocument(promoted);
    for (const [forged, reason] of [
      [tampered, "bad_signature"],
      [impostor, "bad_signature"],
    ] as const) {
      const plugin = await pluginFor(w.server.url, site_key, { fetch: answeringWith(() => withDocument(real, forged)) });
      expect(await plugin.checkIn()).toMatchObject({ tier: "free", source: "fallback", problem: { kind: "rejected", reason } });
    }
  });

  it("rejects a document signed by a key it does not trust, even when a fake key set offers that key", async () => {
    const { site_key } = await w.onboard();
    const real = (await w.checkIn(site_key)).body as CheckInAnswer;
    const payload = decodePayload(real.signed_license);
    const rogue = impostorKey("key_rogue");
    const forged = rogue.signDocument({ ...payload, kid: "key_rogue", status: "licensed", tier: "premium" });
    const jwks = await keySetOf(w.server.url);
    const fakeKeySet = {
      keys: [...jwks.keys, rogue.jwk],
      // An "endorsement" by the real key it cannot make: signed by the rogue key itself.
      endorsements: [
        { jwk: rogue.jwk, endorsed_by: jwks.keys[0]?.kid, signature: rogue.sign(Buffer.from(canonicalJson(rogue.jwk))) },
      ],
    };
    const fetchFake: typeof fetch = async (input, init) => {
      if (String(input).endsWith("/keys")) return Response.json(fakeKeySet);
      return answeringWith(() => withDocument(real, forged))(input, init);
    };
    const plugin = await pluginFor(w.server.url, site_key, { fetch: fetchFake });
    expect(await plugin.checkIn()).toMatchObject({ tier: "free", problem: { kind: "rejected", reason: "unknown_key" } });
  });

  it("rejects a replay of an older document: a revoked site cannot go back to premium", async () => {
    const pool = await w.purchase();
    const { client: c, site_key } = await w.onboard(pool);
    const premiumAnswer = (await w.checkIn(site_key)).body as CheckInAnswer;
    let replay = false;
    const fetchMaybeReplay: typeof fetch = async (input, init) =>
      replay ? answeringWith(() => premiumAnswer)(input, init) : fetch(input, init);
    const plugin = await pluginFor(w.server.url, site_key, { fetch: fetchMaybeReplay });
    expect((await plugin.checkIn()).tier).toBe("premium");
    await w.api("DELETE", `/api/v1/clients/${c.id}/license`);
    expect(await plugin.checkIn()).toMatchObject({ status: "unlicensed", source: "server" });
    replay = true;
    expect(await plugin.checkIn()).toMatchObject({
      status: "unlicensed",
      tier: "free",
      source: "cache",
      problem: { kind: "rejected", reason: "replayed" },
    });
  });

  it("rejects another site's genuine document, by its site URL and by its client", async () => {
    const pool = await w.purchase();
    const mine = await w.onboard();
    const theirs = await w.onboard(pool);
    const theirAnswer = (await w.checkIn(theirs.site_key)).body as CheckInAnswer;
    const bySite = await pluginFor(w.server.url, mine.site_key, {
      siteUrl: mine.client.site_url,
      fetch: answeringWith(() => theirAnswer),
    });
    expect(await bySite.checkIn()).toMatchObject({ tier: "free", problem: { kind: "rejected", reason: "wrong_site" } });

    let foreign = false;
    const byClient = await pluginFor(w.server.url, mine.site_key, {
      fetch: async (input, init) => (foreign ? answeringWith(() => theirAnswer)(input, init) : fetch(input, init)),
    });
    expect((await byClient.checkIn()).source).toBe("server"); // pins its own client id
    foreign = true;
    expect(await byClient.checkIn()).toMatchObject({ tier: "free", problem: { kind: "rejected", reason: "wrong_client" } });
  });

  it("tolerates a few minutes of clock skew, but not a document from the future", async () => {
    const pool = await w.purchase();
    const { site_key } = await w.onboard(pool);
    const behind = await pluginFor(w.server.url, site_key, { now: () => new Date(Date.now() - 3 * 60_000) });
    expect(await behind.checkIn()).toMatchObject({ tier: "premium", source: "server" });
    const farBehind = await pluginFor(w.server.url, site_key, { now: () => new Date(Date.now() - 60 * 60_000) });
    expect(await farBehind.checkIn()).toMatchObject({ tier: "free", problem: { kind: "rejected", reason: "not_yet_valid" } });
  });

  it("follows a key rotation through the old key's endorsement; old documents stay verifiable", async () => {
    const pool = await w.purchase();
    const { site_key } = await w.onboard(pool);
    const before = await keySetOf(w.server.url);
    const oldDoc = ((await w.checkIn(site_key)).body as CheckInAnswer).signed_license;
    // Pinned to the pre-rotation key only, as a plugin released before the rotation would be.
    const plugin = await pluginFor(w.server.url, site_key, { trustedKeys: before.keys });
    expect((await plugin.checkIn()).tier).toBe("premium");

    const { kid, previous_kid } = await rotateSigningKey(w.server.db, "test");
    expect(previous_kid).toBe(oldDoc.kid);
    await w.server.app.licensing.refreshKeys();
    const after = await keySetOf(w.server.url);
    expect(after.keys.map((k) => k.kid)).toEqual([kid, oldDoc.kid]);
    expect(verifySignedLicense(oldDoc, trustedKeysFrom(after.keys)).kid).toBe(oldDoc.kid);

    const next = (await w.checkIn(site_key)).body as CheckInAnswer;
    expect(next.signed_license.kid).toBe(kid);
    expect(await plugin.checkIn()).toMatchObject({ tier: "premium", source: "server" });
    const activity = await w.server.db.selectFrom("activity").select("action").where("subject_id", "=", kid).execute();
    expect(activity).toEqual([{ action: "signing_key.rotated" }]);
  });

  it("keeps premium while the server is down until valid_until, then falls back to free", async () => {
    const own = await startWorld(dialect);
    const pool = await own.purchase();
    const { site_key } = await own.onboard(pool);
    let clock = Date.now();
    const plugin = await pluginFor(own.server.url, site_key, { now: () => new Date(clock) });
    const online = await plugin.checkIn();
    expect(online).toMatchObject({ tier: "premium", source: "server" });
    const validUntil = Date.parse(online.valid_until as string);
    await own.server.close(); // the server is gone: connections are refused from here on

    clock = validUntil - 60_000;
    expect(await plugin.checkIn()).toMatchObject({
      status: "licensed",
      tier: "premium",
      source: "cache",
      problem: { kind: "offline" },
      features: { firewall_rules: true },
    });
    clock = validUntil + 10 * 60_000;
    expect(await plugin.checkIn()).toMatchObject({ status: "unlicensed", tier: "free", source: "fallback" });
  });

  it("retries a server error with backoff before falling back to the cache", async () => {
    const pool = await w.purchase();
    const { site_key } = await w.onboard(pool);
    let failuresLeft = 2;
    const waits: number[] = [];
    const flaky: typeof fetch = async (input, init) => {
      if (String(input).endsWith("/check-in") && failuresLeft > 0) {
        failuresLeft -= 1;
        return new Response("{}", { status: 503 });
      }
      return fetch(input, init);
    };
    const plugin = await pluginFor(w.server.url, site_key, {
      fetch: flaky,
      retries: 3,
      backoffBaseMs: 100,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(await plugin.checkIn()).toMatchObject({ tier: "premium", source: "server" });
    expect(waits).toHaveLength(2);
    for (const [i, ms] of waits.entries()) expect(ms).toBeLessThanOrEqual(100 * 2 ** i);
  });

  it("drops premium at once when the server refuses the site key (offboarded)", async () => {
    const pool = await w.purchase();
    const { client: c, site_key } = await w.onboard(pool);
    const plugin = await pluginFor(w.server.url, site_key);
    expect((await plugin.checkIn()).tier).toBe("premium");
    await w.api("DELETE", `/api/v1/clients/${c.id}`);
    expect(await plugin.checkIn()).toMatchObject({ tier: "free", problem: { kind: "denied", status: 401 } });
    expect(await client(w.server.url, site_key)("POST", "/api/plugin/v1/check-in", {})).toMatchObject({ status: 401 });
  });
});
