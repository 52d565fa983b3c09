import { setMaxListeners } from "node:events";
import type { KeySet } from "../contracts/types.js";
import { Agent, type Entitlement, LicenseClient, MemoryStateStore } from "../sdk/index.js";
import { apiClient, type FleetSite, fleetDomains, onboardSite, slotsFor } from "./fleet-onboard.js";
import { progressBar, statusLine } from "./progress.js";

export interface FleetOptions {
  server: string;
  apiKey: string;
  sites: string;
  interval?: string;
  duration?: string;
  purchase: boolean;
}

/** What the fleet looks like now: the latest entitlement of every site, and counters since the start. */
class FleetStats {
  readonly latest = new Map<string, Entitlement>();
  checkIns = 0;
  errors = 0;
  private readonly window: number[] = [];

  seen(site: string, e: Entitlement) {
    this.latest.set(site, e);
    this.checkIns += 1;
    if (e.problem) this.errors += 1;
    this.window.push(Date.now());
  }

  perSecond(): number {
    const since = Date.now() - 5000;
    while ((this.window[0] ?? Number.POSITIVE_INFINITY) < since) this.window.shift();
    return this.window.length / 5;
  }

  line(total: number): string {
    const count = (f: (e: Entitlement) => boolean) => [...this.latest.values()].filter(f).length;
    const tiers = new Map<string, number>();
    for (const e of this.latest.values()) tiers.set(e.tier, (tiers.get(e.tier) ?? 0) + 1);
    const byTier = [...tiers].map(([t, n]) => `${t} ${n}`).join(", ");
    return [
      `${progressBar(this.latest.size, total, 16)} ${this.latest.size}/${total} checked in`,
      `licensed ${count((e) => e.status === "licensed")} · suspended ${count((e) => e.status === "suspended")} · unlicensed ${count((e) => e.status === "unlicensed")}`,
      `tiers: ${byTier || "-"}`,
      `${this.perSecond().toFixed(1)} check-ins/s`,
      `errors ${this.errors} (offline ${count((e) => e.problem?.kind === "offline")} now)`,
    ].join("  |  ");
  }
}

/**
 * `npm run fleet`: onboards N sites (the real top-sites domains first) and runs one agent per site in this process,
 * with a live summary. Check-ins are spread over the interval, which by default keeps the whole fleet under the
 * server's per-address check-in limit (CHECK_IN_IP_RATE_LIMIT, 6000 a minute).
 */
export async function runFleet(o: FleetOptions): Promise<void> {
  const n = Number(o.sites);
  if (!Number.isInteger(n) || n < 1) throw new Error("--sites must be a whole number of at least 1");
  const intervalS = o.interval ? Number(o.interval) : Math.max(5, Math.ceil(n / 80));
  const api = apiClient(o.server, o.apiKey);
  const status = statusLine();

  const slots = await slotsFor(api, n, o.purchase, (s) => console.log(s));
  const domains = fleetDomains(n);
  const sites: FleetSite[] = [];
  for (let i = 0; i < n; i += 16) {
    const batch = domains.slice(i, i + 16).map((d, j) => onboardSite(api, d, slots[i + j]));
    sites.push(...(await Promise.all(batch)));
    status.update(`onboarding ${progressBar(sites.length, n)} ${sites.length}/${n}`);
  }
  status.done(`onboarded ${n} sites (${Math.min(n, slots.length)} with a license); checking in every ${intervalS} s`);

  // One fetch of the key set, trusted for the whole fleet (as if every plugin shipped with it pinned).
  const keySet = (await (await fetch(new URL("/api/plugin/v1/keys", o.server))).json()) as KeySet;
  const stats = new FleetStats();
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // one sleeping agent per site listens for the stop
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stop.abort());
  if (o.duration) setTimeout(() => stop.abort(), Number(o.duration) * 1000).unref();
  const ticker = setInterval(() => status.update(stats.line(n)), 1000);

  await Promise.all(
    sites.map(async (site) => {
      // Spread the first check-ins over the interval, as a real fleet's would be.
      await new Promise((r) => setTimeout(r, Math.random() * intervalS * 1000));
      if (stop.signal.aborted) return;
      const client = new LicenseClient({
        serverUrl: o.server,
        siteKey: site.siteKey,
        siteUrl: site.siteUrl,
        trustedKeys: keySet.keys,
        store: new MemoryStateStore(),
        pluginVersion: "fleet-1.0",
      });
      await new Agent({ client, intervalS, onCheckIn: (e) => stats.seen(site.clientId, e) }).run(stop.signal);
    }),
  );
  clearInterval(ticker);
  status.done(stats.line(n));
  console.log(`fleet: stopped after ${stats.checkIns} check-ins`);
}
