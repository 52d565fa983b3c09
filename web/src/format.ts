import { NEARLY_FULL_RATIO } from "../../src/contracts/limits.js";
import type { Pool, PoolSource } from "../../src/contracts/types.js";

/** Display helpers: words, dates and money the way a reseller reads them. */

const dateFmt = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
});
const relFmt = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const moneyFmt = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const moneyWholeFmt = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
const numberFmt = new Intl.NumberFormat(undefined);

export const formatDate = (iso: string) => dateFmt.format(new Date(iso));
export const formatDateTime = (iso: string) => dateTimeFmt.format(new Date(iso));
export const formatNumber = (n: number) => numberFmt.format(n);

export function formatMoney(cents: number): string {
  return cents % 100 === 0 ? moneyWholeFmt.format(cents / 100) : moneyFmt.format(cents / 100);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "5 minutes ago", "yesterday", "just now". */
export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  for (const [unit, size] of UNITS) {
    if (abs >= size) return relFmt.format(Math.round(seconds / size), unit);
  }
  return relFmt.format(Math.round(seconds / 60), "minute");
}

/** "premium" -> "Premium", "white_label" -> "White label". */
export function titleCase(word: string): string {
  const spaced = word.replace(/[_-]+/g, " ").trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

export const SOURCE_WORDS: Record<PoolSource, string> = {
  plan: "Plan purchase",
  top_up: "Top-up",
  adjustment: "Granted by support",
};

export type Fullness = "comfortable" | "nearly_full" | "full";

export function fullness(pool: Pick<Pool, "used" | "total">): Fullness {
  if (pool.total <= 0 || pool.used >= pool.total) return "full";
  return pool.used / pool.total >= NEARLY_FULL_RATIO ? "nearly_full" : "comfortable";
}

export const FULLNESS_WORDS: Record<Fullness, string> = {
  comfortable: "Available",
  nearly_full: "Nearly full",
  full: "Full",
};

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/** Audit-log actions in words. Unknown actions fall back to a tidied version of the code. */
export const ACTION_WORDS: Record<string, string> = {
  "license.allocated": "License allocated",
  "license.revoked": "License revoked",
  "license.reissued": "License moved to another pool",
  "client.created": "Client added",
  "client.updated": "Client details changed",
  "client.deleted": "Client offboarded",
  "client.suspended": "Client suspended",
  "client.resumed": "Client resumed",
  "client.site_key_regenerated": "Site key regenerated",
  "plan.purchased": "Plan purchased",
  "pool.adjusted": "Pool size changed by support",
  "pool.granted": "Pool granted by support",
  "pool_request.filed": "Pool-size change requested",
  "pool_request.approved": "Pool-size request approved",
  "pool_request.declined": "Pool-size request declined",
  "reseller.created": "Account created",
  "reseller.api_key_rotated": "API key rotated",
  "api_key.created": "API key created",
  "api_key.revoked": "API key revoked",
  "user.invited": "User invited",
  "invite.withdrawn": "Invite withdrawn",
  "user.joined": "User joined",
  "user.role_changed": "User's role changed",
  "user.removed": "User removed",
  "user.signed_out_everywhere": "Signed out everywhere",
};

export function actionWords(action: string): string {
  return ACTION_WORDS[action] ?? titleCase(action.replace(/\./g, " "));
}

/** "user demo@example.com" -> "demo@example.com"; "support x@y" -> "Support (x@y)"; "api-key lp_abc" -> "API key lp_abc…". */
export function actorWords(actor: string): string {
  const [kind, ...rest] = actor.split(" ");
  const who = rest.join(" ");
  switch (kind) {
    case "user":
      return who || "A user";
    case "support":
      return `Support (${who})`;
    case "support-token":
      return "Support";
    case "api-key":
      return `API key ${who}…`;
    case "system":
      return "licensepool";
    default:
      return actor;
  }
}

/** A short, readable form of a site URL for tables: no scheme, no trailing slash. */
export function shortSite(url: string): string {
  return url.replace(/^https?:\/\//, "").replace(/\/$/, "");
}
