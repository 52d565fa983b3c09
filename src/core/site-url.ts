import { SITE_URL_MAX } from "../contracts/limits.js";
import { invalid } from "./app-error.js";

export interface NormalisedSite {
  /** The URL as the reseller typed it, tidied (lower-case host, no default port): what we show. */
  display: string;
  /** The comparison key: host without `www.`, non-default port, path without trailing slash, all lower case. */
  key: string;
}

/**
 * Compares sites the way a person would: scheme, `www.`, letter case, a trailing slash, default ports and
 * IDN vs punycode spellings of one site are the same site. A path is kept for sub-folder installs.
 */
export function normaliseSiteUrl(input: string, field = "site_url"): NormalisedSite {
  const raw = input.trim();
  if (raw.length === 0 || raw.length > SITE_URL_MAX) throw invalid(field, "must be a URL like https://example.com");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(field, "must be a URL like https://example.com");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalid(field, "must start with http:// or https://");
  // WHATWG URL already lower-cases the host, converts IDN to punycode and drops default ports.
  const host = url.hostname.replace(/\.$/, "");
  if (!host || url.username || url.password) throw invalid(field, "must have a host and no credentials");
  if (!host.includes(".") && host !== "localhost" && !host.startsWith("[")) throw invalid(field, "must have a full host name");
  if (url.search || url.hash) throw invalid(field, "must not carry a query string or fragment");
  const path = safeDecode(url.pathname).replace(/\/+$/, "");
  // The scheme is ignored, so either scheme's default port counts as no port at all.
  const port = url.port && url.port !== "80" && url.port !== "443" ? `:${url.port}` : "";
  const bareHost = host.replace(/^www\./, "");
  return {
    display: `${url.protocol}//${host}${url.port ? `:${url.port}` : ""}${url.pathname.replace(/\/+$/, "")}`,
    key: `${bareHost}${port}${path.toLowerCase()}`,
  };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** What client search matches against: name and shown site, lower-cased once at write time. */
export const searchText = (name: string, siteDisplay: string) => `${name}\n${siteDisplay}`.toLowerCase();
