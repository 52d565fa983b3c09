import { createPublicKey, verify } from "node:crypto";
import { canonicalJson } from "../contracts/canonical-json.js";
import type { CheckInFeatures, SignedCheckInAnswer } from "../contracts/types.js";

/**
 * The plugin side of check-in: call the server, verify the Ed25519 signature against the pinned public key, cache
 * the last good answer, and keep honouring it while offline until its `valid_until` (the grace window). After that,
 * or with no trusted answer at all, the plugin runs the free tier. A forged or tampered answer is never trusted.
 */
export function verifyCheckIn(answer: SignedCheckInAnswer, publicKeyPem: string): boolean {
  const { signature, ...signed } = answer;
  try {
    return verify(null, Buffer.from(canonicalJson(signed)), createPublicKey(publicKeyPem), Buffer.from(signature, "base64url"));
  } catch {
    return false;
  }
}

export interface Entitlement {
  tier: string;
  features: CheckInFeatures;
  source: "server" | "cache" | "fallback";
}

const FREE: CheckInFeatures = { firewall_rules: false, malware_signatures: false, threat_intel_sync: false };

/** What a plugin may use at `now`, given the last verified answer (or none). */
export function entitlementFrom(answer: SignedCheckInAnswer | null, now: Date, source: "server" | "cache"): Entitlement {
  if (!answer || now.getTime() > Date.parse(answer.valid_until))
    return { tier: "free", features: { ...FREE }, source: "fallback" };
  return { tier: answer.tier, features: { ...answer.features }, source };
}

export interface AnswerCache {
  load(): Promise<SignedCheckInAnswer | null>;
  save(answer: SignedCheckInAnswer): Promise<void>;
}

export interface LicenseClientOptions {
  serverUrl: string;
  siteKey: string;
  siteUrl?: string;
  pluginVersion?: string;
  publicKeyPem: string;
  cache: AnswerCache;
  fetch?: typeof fetch;
  now?: () => Date;
}

export class LicenseClient {
  constructor(private readonly opts: LicenseClientOptions) {}

  async checkIn(): Promise<Entitlement> {
    const now = this.opts.now?.() ?? new Date();
    try {
      const res = await (this.opts.fetch ?? fetch)(new URL("/api/plugin/v1/check-in", this.opts.serverUrl), {
        method: "POST",
        headers: { authorization: `Bearer ${this.opts.siteKey}`, "content-type": "application/json" },
        body: JSON.stringify({ site_url: this.opts.siteUrl, plugin_version: this.opts.pluginVersion }),
      });
      // A definite "no" from the server (revoked key, wrong site) ends premium at once; the cache must not outlive it.
      if (res.status === 401 || res.status === 403) return entitlementFrom(null, now, "server");
      if (!res.ok) throw new Error(`check-in answered ${res.status}`);
      const answer = (await res.json()) as SignedCheckInAnswer;
      if (!verifyCheckIn(answer, this.opts.publicKeyPem)) throw new Error("check-in answer failed signature verification");
      await this.opts.cache.save(answer);
      return entitlementFrom(answer, now, "server");
    } catch {
      // Offline, server error or a forged answer: fall back to the last verified answer while its grace lasts.
      const cached = await this.opts.cache.load();
      return entitlementFrom(cached && verifyCheckIn(cached, this.opts.publicKeyPem) ? cached : null, now, "cache");
    }
  }
}
