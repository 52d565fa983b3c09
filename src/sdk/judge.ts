import type { LicensePayload } from "../contracts/types.js";
import { normaliseSiteUrl } from "../core/site-url.js";
import type { RejectReason } from "./verify.js";

export interface Held {
  revision: number;
  issued_at: string;
}

export interface JudgeContext {
  /** The document this plugin holds now, if any: a newer one may replace it, an older one is a replay. */
  held: Held | null;
  /** This plugin's own site, when it knows it (WordPress: home_url()). */
  siteUrl?: string;
  /** The client this site key belongs to, learned from the first trusted document. */
  clientId?: string;
  now: Date;
  clockSkewMs: number;
}

function sameSite(a: string, b: string): boolean {
  try {
    return normaliseSiteUrl(a).key === normaliseSiteUrl(b).key;
  } catch {
    return false;
  }
}

/** The checks after the signature: is this verified document for us, current, and not older than what we hold? */
export function judgeDocument(p: LicensePayload, ctx: JudgeContext): RejectReason | null {
  if (ctx.siteUrl !== undefined && !sameSite(p.site_url, ctx.siteUrl)) return "wrong_site";
  if (ctx.clientId !== undefined && p.client_id !== ctx.clientId) return "wrong_client";
  const issued = Date.parse(p.issued_at);
  const until = Date.parse(p.valid_until);
  if (Number.isNaN(issued) || Number.isNaN(until)) return "malformed";
  if (issued > ctx.now.getTime() + ctx.clockSkewMs) return "not_yet_valid";
  if (until + ctx.clockSkewMs < ctx.now.getTime()) return "expired";
  if (ctx.held && isOlder(p, ctx.held)) return "replayed";
  return null;
}

/** By revision, then by signing time: a re-signed document of the same revision is newer. */
export function isOlder(p: Held, than: Held): boolean {
  if (p.revision !== than.revision) return p.revision < than.revision;
  return Date.parse(p.issued_at) < Date.parse(than.issued_at);
}
