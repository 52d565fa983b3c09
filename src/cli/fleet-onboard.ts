import { createRequire } from "node:module";

/** The real domains of the `top-sites` list first (skipping its malformed entries), generated ones beyond it. */
export function fleetDomains(n: number): string[] {
  let top: string[] = [];
  try {
    const list = createRequire(import.meta.url)("top-sites") as { rootDomain: string }[];
    top = list.map((s) => s.rootDomain.replace(/^www\./, "")).filter((d) => !d.includes(".."));
  } catch {
    // top-sites is a dev dependency; without it every site is generated.
  }
  const out = top.slice(0, n);
  for (let i = out.length; i < n; i++) out.push(`site-${i + 1}.fleet.example`);
  return out;
}

export interface FleetSite {
  clientId: string;
  siteUrl: string;
  siteKey: string;
}

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, picked apart by callers that know each endpoint's shape.
type Api = <T = any>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;

export function apiClient(server: string, apiKey: string): Api {
  return async (method, path, body) => {
    for (;;) {
      const res = await fetch(new URL(path, server), {
        method,
        headers: { authorization: `Bearer ${apiKey}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      // A big fleet onboards faster than the per-key API limit allows: wait as told, then go on.
      if (res.status === 429) {
        await new Promise((r) => setTimeout(r, 1000 * Math.max(1, Number(res.headers.get("retry-after")) || 1)));
        continue;
      }
      return { status: res.status, body: text ? JSON.parse(text) : null };
    }
  };
}

const need = <T>(r: { status: number; body: T }, what: string): T => {
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};

/** Free slots to license the fleet from, buying Premium 100 plans for what is missing when allowed. */
export async function slotsFor(api: Api, n: number, purchase: boolean, log: (s: string) => void): Promise<string[]> {
  const { pools } = need(await api("GET", "/api/v1/pools"), "list pools") as { pools: { id: string; unallocated: number }[] };
  const slots = pools.flatMap((p) => Array.from({ length: p.unallocated }, () => p.id));
  if (slots.length < n && purchase) {
    const plans = Math.ceil((n - slots.length) / 100);
    for (let i = 0; i < plans; i++) {
      const { pool } = need(await api("POST", "/api/v1/purchases", { plan_id: "plan_premium_100" }), "purchase") as {
        pool: { id: string; unallocated: number };
      };
      slots.push(...Array.from({ length: pool.unallocated }, () => pool.id));
    }
    log(`bought ${plans} Premium 100 plan(s) so that every site gets a slot`);
  }
  return slots.slice(0, n);
}

/**
 * Onboards one site with a slot when there is one. A site the reseller already has (an earlier fleet run) keeps its
 * client; its site key is regenerated, since the old one was shown once and is gone.
 */
export async function onboardSite(api: Api, domain: string, poolId: string | undefined): Promise<FleetSite> {
  const siteUrl = `https://${domain}`;
  const created = await api("POST", "/api/v1/clients", {
    name: domain,
    site_url: siteUrl,
    ...(poolId ? { pool_id: poolId } : {}),
  });
  if (created.status === 201) return { clientId: created.body.client.id, siteUrl, siteKey: created.body.site_key };
  if (created.body?.error?.code !== "site_already_registered") need(created, `onboard ${domain}`);
  const found = need(await api("GET", `/api/v1/clients?q=${encodeURIComponent(domain)}&limit=200`), "find client") as {
    clients: { id: string; site_url: string }[];
  };
  const existing = found.clients.find((c) => c.site_url.replace(/\/$/, "") === siteUrl) ?? found.clients[0];
  if (!existing) throw new Error(`onboard ${domain}: registered, but not found`);
  const rekeyed = need(await api("POST", `/api/v1/clients/${existing.id}/site-key`), "new site key") as { site_key: string };
  return { clientId: existing.id, siteUrl, siteKey: rekeyed.site_key };
}
