import type { ActivityEntry, Pool } from "../../../../src/contracts/types.js";
import { plural, shortSite, titleCase } from "../../format";
import { poolLabel } from "../../pools";

type Bag = Record<string, unknown>;
const bag = (v: unknown): Bag => (v && typeof v === "object" ? (v as Bag) : {});
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" ? v : null);

/** Clients whose "client.deleted" entry is among `entries`: shown by name, without a link to a page that is gone. */
export function offboardedClients(entries: ActivityEntry[]): Set<string> {
  return new Set(entries.flatMap((e) => (e.action === "client.deleted" && e.client_id ? [e.client_id] : [])));
}

export interface Described {
  tone: "good" | "bad" | "neutral" | "info";
  /** What the entry is about when it is not a (linkable) live client. */
  subject: string | null;
  detail: string | null;
}

const TONES: Record<string, Described["tone"]> = {
  "license.allocated": "good",
  "license.revoked": "bad",
  "license.reissued": "info",
  "client.created": "good",
  "client.deleted": "bad",
  "client.suspended": "bad",
  "client.resumed": "good",
  "plan.purchased": "good",
  "pool.granted": "good",
  "pool_request.approved": "good",
  "pool_request.declined": "bad",
  "reseller.api_key_rotated": "info",
  "api_key.created": "good",
  "api_key.revoked": "bad",
  "user.invited": "info",
  "user.joined": "good",
  "user.role_changed": "info",
  "user.removed": "bad",
  "invite.withdrawn": "bad",
};

/**
 * One audit entry in words: who or what it is about, and the change in a short phrase. Client entries carry the
 * client's name at the time; pools are named from the reseller's pool list (pools are never deleted).
 */
export function describeEntry(e: ActivityEntry, offboarded: Set<string>, pools: Pool[]): Described {
  const before = bag(e.before);
  const after = bag(e.after);
  const poolName = (id: unknown) => {
    const pool = pools.find((p) => p.id === id);
    return pool ? poolLabel(pool, pools) : null;
  };
  const subject = e.client_id
    ? e.client_name
      ? `${e.client_name}${offboarded.has(e.client_id) ? " (offboarded)" : ""}`
      : "A client"
    : e.pool_id
      ? (poolName(e.pool_id) ?? "A pool")
      : null;
  const tone = TONES[e.action] ?? "neutral";
  const out = (detail: string | null): Described => ({ tone, subject, detail });

  switch (e.action) {
    case "license.allocated": {
      const from = poolName(after.pool_id ?? e.pool_id);
      return out(`${titleCase(str(after.license_type) ?? "")} license${from ? ` from ${from}` : ""}`);
    }
    case "license.revoked": {
      const type = str(before.license_type);
      const to = poolName(before.pool_id ?? e.pool_id);
      return out(type ? `${titleCase(type)} license; the slot went back to ${to ?? "its pool"}` : null);
    }
    case "license.reissued": {
      const from = str(before.license_type);
      const to = str(after.license_type);
      const fromPool = poolName(before.pool_id);
      const toPool = poolName(after.pool_id);
      if (fromPool && toPool) return out(`${fromPool} → ${toPool}`);
      return out(from && to ? `${titleCase(from)} → ${titleCase(to)}` : null);
    }
    case "client.created":
    case "client.deleted": {
      const site = str((e.action === "client.created" ? after : before).site_url);
      return out(site ? shortSite(site) : null);
    }
    case "client.updated": {
      const changes: string[] = [];
      if (str(after.name) && before.name !== after.name) changes.push(`name: ${str(before.name) ?? "?"} → ${str(after.name)}`);
      if (str(after.site_url) && before.site_url !== after.site_url) {
        changes.push(`site: ${shortSite(str(before.site_url) ?? "?")} → ${shortSite(str(after.site_url) ?? "")}`);
      }
      return out(changes.join("; ") || null);
    }
    case "client.site_key_regenerated": {
      const prefix = str(after.site_key_prefix);
      return out(prefix ? `new key ${prefix}…` : null);
    }
    case "plan.purchased": {
      const total = num(after.total);
      return out([str(after.plan_name), total !== null ? `+${plural(total, "slot")}` : null].filter(Boolean).join(" · ") || null);
    }
    case "pool.adjusted": {
      const from = num(before.total);
      const to = num(after.total);
      const reason = str(after.reason);
      return out(
        [from !== null && to !== null ? `${from} → ${plural(to, "slot")}` : null, reason ? `“${reason}”` : null]
          .filter(Boolean)
          .join(" · ") || null,
      );
    }
    case "pool.granted": {
      const total = num(after.total);
      return out(total !== null ? `${plural(total, "slot")}${str(after.reason) ? ` · “${str(after.reason)}”` : ""}` : null);
    }
    case "pool_request.filed": {
      const want = num(after.requested_total);
      const had = num(before.total);
      const note = str(after.note);
      return out(
        [
          want !== null ? `asked for ${plural(want, "slot")}${had !== null ? ` (now ${had})` : ""}` : null,
          note ? `“${note}”` : null,
        ]
          .filter(Boolean)
          .join(" · ") || null,
      );
    }
    case "pool_request.approved":
    case "pool_request.declined": {
      const want = num(after.requested_total);
      const reason = str(after.reason);
      return out(
        [want !== null ? plural(want, "slot") : null, reason ? `“${reason}”` : null].filter(Boolean).join(" · ") || null,
      );
    }
    case "reseller.api_key_rotated": {
      const prefix = str(after.api_key_prefix);
      const name = str(after.name);
      return out(prefix ? `${name ? `${name}: ` : ""}new key ${prefix}…` : null);
    }
    case "api_key.created":
    case "api_key.revoked": {
      const k = e.action === "api_key.created" ? after : before;
      const prefix = str(k.prefix);
      const scope = k.scope === "read" ? "read only" : k.scope === "read_write" ? "read and write" : null;
      return out([str(k.name), prefix ? `${prefix}…` : null, scope].filter(Boolean).join(" · ") || null);
    }
    case "user.invited":
    case "user.joined":
    case "user.removed":
    case "invite.withdrawn": {
      const u = e.action === "user.removed" || e.action === "invite.withdrawn" ? before : after;
      const role = str(u.role);
      return out([str(u.email), role ? `as ${role}` : null].filter(Boolean).join(" ") || null);
    }
    case "user.role_changed": {
      const from = str(before.role);
      const to = str(after.role);
      return out([str(after.email), from && to ? `${from} → ${to}` : null].filter(Boolean).join(": ") || null);
    }
    default:
      return out(null);
  }
}
