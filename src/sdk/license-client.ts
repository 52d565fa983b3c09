import { createHash } from "node:crypto";
import type { CheckInAnswer, CheckInFeatures, CheckInStatus, Jwk, KeySet, LicensePayload } from "../contracts/types.js";
import { backoffDelayMs } from "./backoff.js";
import { judgeDocument } from "./judge.js";
import type { PluginState, StateStore } from "./state-store.js";
import {
  followEndorsements,
  LicenseRejected,
  type RejectReason,
  type TrustedKeys,
  trustedKeysFrom,
  verifySignedLicense,
} from "./verify.js";

/** What the plugin may use right now, and where that came from. */
export interface Entitlement {
  status: CheckInStatus;
  tier: string;
  license_type: string | null;
  features: CheckInFeatures;
  /** Until when the document behind this entitlement may be trusted offline; null on the free fallback. */
  valid_until: string | null;
  revision: number | null;
  /** server: a fresh trusted answer; cache: the last trusted document, while offline or after a rejection; fallback: free. */
  source: "server" | "cache" | "fallback";
  /** Why the server's answer was not used this time, if it was not. */
  problem?: { kind: "offline"; detail: string } | { kind: "rejected"; reason: RejectReason } | { kind: "denied"; status: number };
  /** When to check in next, in seconds (the server's jittered advice, or a backoff while it cannot be reached). */
  next_check_in_s: number;
}

export interface LicenseClientOptions {
  serverUrl: string;
  siteKey: string;
  /** This site's own URL: documents for any other site are rejected. */
  siteUrl?: string;
  pluginVersion?: string;
  /** Keys to trust, pinned (e.g. shipped with the plugin). Keys they endorse at a rotation are trusted too. */
  trustedKeys?: Jwk[];
  /** With no pinned keys and nothing stored yet: trust the server's key set on the very first contact. */
  trustOnFirstUse?: boolean;
  store: StateStore;
  /** Attempts after the first, per check-in, on a network error, timeout, 429 or 5xx (default 3). */
  retries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  timeoutMs?: number;
  /** Tolerated difference between this machine's clock and the server's (default 5 minutes). */
  clockSkewMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

const FREE_FEATURES: CheckInFeatures = { firewall_rules: false, malware_signatures: false, threat_intel_sync: false };
const EMPTY_STATE: PluginState = { keys: [], license: null, client_id: null, site_key_fingerprint: null, denied: false };

class Retryable extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * The plugin side of check-in. Trusts only documents whose Ed25519 signature verifies against a pinned (or endorsed)
 * key, that are for this site and client, and that are not older than the one it holds. While the server cannot be
 * reached it keeps the last trusted document until its `valid_until`, then falls back to free; a trusted "revoked" or
 * "suspended" document takes effect at once. A rejection never unlocks anything: it leaves the plugin where it was.
 */
export class LicenseClient {
  private state: PluginState | null = null;
  private trusted: TrustedKeys = new Map();
  private failures = 0;

  constructor(private readonly opts: LicenseClientOptions) {}

  private get now() {
    return this.opts.now?.() ?? new Date();
  }
  private get skewMs() {
    return this.opts.clockSkewMs ?? 5 * 60_000;
  }

  /** One check-in, with retries; never throws for network or server trouble (that is what the cache is for). */
  async checkIn(): Promise<Entitlement> {
    const state = await this.loadState();
    let answer: CheckInAnswer;
    try {
      answer = await this.fetchWithRetries();
    } catch (err) {
      this.failures += 1;
      if (err instanceof DeniedError) {
        state.denied = true;
        await this.opts.store.save(state);
        return { ...this.free(this.nextAfterFailure()), source: "server", problem: { kind: "denied", status: err.status } };
      }
      return this.fromCache({ kind: "offline", detail: (err as Error).message }, this.nextAfterFailure());
    }
    this.failures = 0;
    const next = typeof answer?.next_check_in_s === "number" && answer.next_check_in_s > 0 ? answer.next_check_in_s : 3600;
    try {
      const payload = await this.accept(answer?.signed_license, state);
      return this.entitlementOf(payload, "server", next);
    } catch (err) {
      if (!(err instanceof LicenseRejected)) throw err;
      return this.fromCache({ kind: "rejected", reason: err.reason }, next);
    }
  }

  /** What applies now from what is held, without asking the server (e.g. to notice the grace window ending). */
  async current(): Promise<Entitlement> {
    await this.loadState();
    return this.fromCache(undefined, this.opts.backoffMaxMs ? this.opts.backoffMaxMs / 1000 : 60);
  }

  private async loadState(): Promise<PluginState> {
    if (this.state) return this.state;
    const stored = (await this.opts.store.load()) ?? structuredClone(EMPTY_STATE);
    const fingerprint = createHash("sha256").update(this.opts.siteKey).digest("hex").slice(0, 16);
    if (stored.site_key_fingerprint !== fingerprint) {
      // Another site key: what was pinned for the old one (client, document, denial) does not carry over; keys do.
      Object.assign(stored, { license: null, client_id: null, denied: false, site_key_fingerprint: fingerprint });
    }
    const keys = [...stored.keys];
    for (const k of this.opts.trustedKeys ?? []) if (!keys.some((s) => s.kid === k.kid)) keys.push(k);
    if (keys.length === 0) {
      if (!this.opts.trustOnFirstUse) throw new Error("LicenseClient needs trustedKeys (or trustOnFirstUse) to verify licenses");
      keys.push(...(await this.fetchKeySet()).keys);
    }
    stored.keys = keys;
    this.trusted = trustedKeysFrom(keys);
    this.state = stored;
    // A stored document is re-verified before it is used: the state file is not trusted blindly.
    if (stored.license) {
      try {
        verifySignedLicense(stored.license, this.trusted);
      } catch {
        stored.license = null;
      }
    }
    await this.opts.store.save(stored);
    return stored;
  }

  /** Verifies a fresh document (learning endorsed keys on an unknown kid), judges it, and keeps it if it passes. */
  private async accept(doc: unknown, state: PluginState): Promise<LicensePayload> {
    const signed = doc as CheckInAnswer["signed_license"];
    if (signed && typeof signed.kid === "string" && !this.trusted.has(signed.kid)) {
      const learned = followEndorsements(this.trusted, await this.fetchKeySet().catch(() => ({ keys: [], endorsements: [] })));
      if (learned.length > 0) state.keys.push(...learned);
    }
    const payload = verifySignedLicense(signed, this.trusted);
    const held = this.heldPayload();
    const reason = judgeDocument(payload, {
      held: held ? { revision: held.revision, issued_at: held.issued_at } : null,
      ...(this.opts.siteUrl !== undefined ? { siteUrl: this.opts.siteUrl } : {}),
      ...(state.client_id ? { clientId: state.client_id } : {}),
      now: this.now,
      clockSkewMs: this.skewMs,
    });
    if (reason) throw new LicenseRejected(reason);
    Object.assign(state, { license: signed, client_id: payload.client_id, denied: false });
    await this.opts.store.save(state);
    return payload;
  }

  private heldPayload(): LicensePayload | null {
    if (!this.state?.license) return null;
    try {
      return verifySignedLicense(this.state.license, this.trusted);
    } catch {
      return null;
    }
  }

  private fromCache(problem: Entitlement["problem"], nextS: number): Entitlement {
    const held = this.state?.denied ? null : this.heldPayload();
    const extra = problem ? { problem } : {};
    if (held && this.now.getTime() < Date.parse(held.valid_until) + this.skewMs)
      return { ...this.entitlementOf(held, "cache", nextS), ...extra };
    return { ...this.free(nextS), ...extra };
  }

  private entitlementOf(p: LicensePayload, source: "server" | "cache", nextS: number): Entitlement {
    return {
      status: p.status,
      tier: p.tier,
      license_type: p.license_type,
      features: { ...FREE_FEATURES, ...(p.status === "licensed" ? p.features : {}) },
      valid_until: p.valid_until,
      revision: p.revision,
      source,
      next_check_in_s: nextS,
    };
  }

  private free(nextS: number): Entitlement {
    return {
      status: "unlicensed",
      tier: "free",
      license_type: null,
      features: { ...FREE_FEATURES },
      valid_until: null,
      revision: null,
      source: "fallback",
      next_check_in_s: nextS,
    };
  }

  /** While the server is away, check again sooner than the hourly advice: backoff with jitter, capped. */
  private nextAfterFailure(): number {
    const base = this.opts.backoffBaseMs ?? 1000;
    const max = this.opts.backoffMaxMs ?? 300_000;
    return Math.max(1, Math.round(backoffDelayMs(this.failures + 3, base, max) / 1000));
  }

  private async fetchWithRetries(): Promise<CheckInAnswer> {
    const retries = this.opts.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.post();
      } catch (err) {
        if (!(err instanceof Retryable) || attempt >= retries) throw err;
        const wait =
          err.retryAfterMs ?? backoffDelayMs(attempt, this.opts.backoffBaseMs ?? 1000, this.opts.backoffMaxMs ?? 30_000);
        await (this.opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(wait);
      }
    }
  }

  private async post(): Promise<CheckInAnswer> {
    let res: Response;
    try {
      res = await (this.opts.fetch ?? fetch)(new URL("/api/plugin/v1/check-in", this.opts.serverUrl), {
        method: "POST",
        headers: { authorization: `Bearer ${this.opts.siteKey}`, "content-type": "application/json" },
        body: JSON.stringify({ site_url: this.opts.siteUrl, plugin_version: this.opts.pluginVersion }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new Retryable(`server unreachable: ${(err as Error).message}`);
    }
    // A definite "no" about the site key (offboarded, regenerated, another site's key) ends premium at once.
    if (res.status === 401 || res.status === 403) throw new DeniedError(res.status);
    if (res.status === 429 || res.status >= 500) {
      const retryAfter = Number(res.headers.get("retry-after"));
      const cap = this.opts.backoffMaxMs ?? 30_000;
      throw new Retryable(
        `server answered ${res.status}`,
        Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(cap, retryAfter * 1000) : undefined,
      );
    }
    if (!res.ok) throw new Error(`server answered ${res.status}`);
    try {
      return (await res.json()) as CheckInAnswer;
    } catch {
      throw new Retryable("server answered with a body that is not JSON");
    }
  }

  private async fetchKeySet(): Promise<KeySet> {
    const res = await (this.opts.fetch ?? fetch)(new URL("/api/plugin/v1/keys", this.opts.serverUrl), {
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
    });
    if (!res.ok) throw new Error(`key set: server answered ${res.status}`);
    return (await res.json()) as KeySet;
  }
}

class DeniedError extends Error {
  constructor(readonly status: number) {
    super(`server refused the site key (${status})`);
  }
}
