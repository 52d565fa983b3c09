import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SignedCheckInAnswer } from "../src/contracts/types.js";
import { LicenseClient, verifyCheckIn } from "../src/sdk/license-client.js";
import { client, startWorld, type World } from "./helpers/world.js";

function memoryCache() {
  let stored: SignedCheckInAnswer | null = null;
  return {
    load: async () => stored,
    save: async (a: SignedCheckInAnswer) => {
      stored = a;
    },
  };
}
const offline: typeof fetch = async () => {
  throw new TypeError("fetch failed: network unreachable");
};

describe("plugin SDK: signed check-ins and the offline grace window", () => {
  let w: World;
  let publicKeyPem: string;
  beforeAll(async () => {
    w = await startWorld("sqlite");
    const key = await client(w.server.url)("GET", "/api/plugin/v1/signing-key");
    expect(key.body.algorithm).toBe("Ed25519");
    publicKeyPem = key.body.public_key_pem;
  });
  afterAll(() => w.server.close());

  it("verifies genuine answers and rejects tampered ones", async () => {
    const pool = await w.purchase();
    const { site_key } = await w.onboard(pool);
    const answer = (await w.checkIn(site_key)).body as SignedCheckInAnswer;
    expect(verifyCheckIn(answer, publicKeyPem)).toBe(true);
    expect(verifyCheckIn({ ...answer, tier: "business" }, publicKeyPem)).toBe(false);
    expect(verifyCheckIn({ ...answer, valid_until: "2999-01-01T00:00:00.000Z" }, publicKeyPem)).toBe(false);
    expect(verifyCheckIn({ ...answer, signature: "AAAA" }, publicKeyPem)).toBe(false);
  });

  it("keeps premium while offline within the grace window, then falls back to free", async () => {
    const pool = await w.purchase();
    const { site_key, client: c } = await w.onboard(pool);
    const cache = memoryCache();
    const online = new LicenseClient({ serverUrl: w.server.url, siteKey: site_key, siteUrl: c.site_url, publicKeyPem, cache });
    expect(await online.checkIn()).toMatchObject({ tier: "premium", source: "server", features: { firewall_rules: true } });

    const inGrace = new LicenseClient({
      serverUrl: w.server.url,
      siteKey: site_key,
      publicKeyPem,
      cache,
      fetch: offline,
      now: () => new Date(Date.now() + 3600_000),
    });
    expect(await inGrace.checkIn()).toMatchObject({ tier: "premium", source: "cache" });

    const pastGrace = new LicenseClient({
      serverUrl: w.server.url,
      siteKey: site_key,
      publicKeyPem,
      cache,
      fetch: offline,
      now: () => new Date(Date.now() + 4 * 86400_000),
    });
    expect(await pastGrace.checkIn()).toMatchObject({ tier: "free", source: "fallback", features: { firewall_rules: false } });
  });

  it("drops premium at the next check-in after a revoke", async () => {
    const pool = await w.purchase();
    const { site_key, client: c } = await w.onboard(pool);
    const sdk = new LicenseClient({ serverUrl: w.server.url, siteKey: site_key, publicKeyPem, cache: memoryCache() });
    expect((await sdk.checkIn()).tier).toBe("premium");
    await w.api("DELETE", `/api/v1/clients/${c.id}/license`);
    expect(await sdk.checkIn()).toMatchObject({ tier: "free", source: "server" });
  });

  it("never trusts an answer signed by someone else", async () => {
    const pool = await w.purchase();
    const { site_key } = await w.onboard(pool);
    const { generateKeyPairSync } = await import("node:crypto");
    const impostorKey = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString();
    const sdk = new LicenseClient({
      serverUrl: w.server.url,
      siteKey: site_key,
      publicKeyPem: impostorKey,
      cache: memoryCache(),
    });
    expect(await sdk.checkIn()).toMatchObject({ tier: "free", source: "fallback" });
  });
});
