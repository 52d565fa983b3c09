import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Jwk } from "../contracts/types.js";
import { Agent, type Entitlement, FileStateStore, LicenseClient } from "../sdk/index.js";

export interface AgentCliOptions {
  server: string;
  siteKey: string;
  stateDir?: string;
  siteUrl?: string;
  keys?: string;
  interval?: string;
  pluginVersion?: string;
}

/** One line per change, the way an operator tailing a plugin's log would want it. */
export function describeEntitlement(e: Entitlement, at: Date): string {
  const features = Object.entries(e.features)
    .map(([k, v]) => `${k}=${v ? "on" : "off"}`)
    .join(" ");
  const why =
    e.problem?.kind === "offline"
      ? `  [offline: ${e.problem.detail}]`
      : e.problem?.kind === "rejected"
        ? `  [rejected the server's document: ${e.problem.reason}]`
        : e.problem?.kind === "denied"
          ? `  [site key refused (${e.problem.status})]`
          : "";
  const until = e.valid_until ? `, valid until ${e.valid_until}` : "";
  return `${at.toISOString()}  ${e.status.padEnd(10)} tier=${e.tier.padEnd(8)} ${features}  (${e.source}${until})${why}`;
}

/** Pinned keys from a file (a saved GET /api/plugin/v1/keys answer, or a bare list of JWKs). */
function readKeys(file: string): Jwk[] {
  const parsed = JSON.parse(readFileSync(file, "utf8")) as { keys?: Jwk[] } | Jwk[];
  return Array.isArray(parsed) ? parsed : (parsed.keys ?? []);
}

/** `npm run agent`: a long-lived simulated plugin that prints every change of status, tier or features. */
export async function runAgentCli(o: AgentCliOptions): Promise<void> {
  const fingerprint = createHash("sha256").update(o.siteKey).digest("hex").slice(0, 12);
  const stateDir = o.stateDir ?? join("data", "agent", fingerprint);
  const pinned = o.keys ? readKeys(o.keys) : undefined;
  const client = new LicenseClient({
    serverUrl: o.server,
    siteKey: o.siteKey,
    store: new FileStateStore(stateDir),
    ...(o.siteUrl ? { siteUrl: o.siteUrl } : {}),
    ...(o.pluginVersion ? { pluginVersion: o.pluginVersion } : {}),
    ...(pinned ? { trustedKeys: pinned } : { trustOnFirstUse: true }),
  });
  console.log(
    `agent: checking in at ${o.server} (state in ${stateDir}; ${
      pinned ? `${pinned.length} pinned key(s)` : "keys trusted on first use unless already pinned in the state"
    })`,
  );
  const agent = new Agent({
    client,
    ...(o.interval ? { intervalS: Number(o.interval) } : {}),
    onChange: (e, at) => console.log(describeEntitlement(e, at)),
  });
  const stop = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stop.abort());
  await agent.run(stop.signal);
  console.log("agent: stopped");
}
