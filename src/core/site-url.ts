import { domainToUnicode } from "node:url";
import { SITE_URL_MAX } from "../contracts/limits.js";
import { invalid } from "./app-error.js";

export interface NormalisedSite {
  /** The URL as the reseller typed it, tidied (lower-case punycode host, no default port, no trailing slash): what we show. */
  display: string;
  /** The comparison key: host without `www.`, non-default port, decoded path without trailing slash, all lower case. */
  key: string;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point of this pattern.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Compares sites the way a person would: scheme, `www.`, letter case, a trailing slash, default ports and
 * IDN vs punycode spellings of one site are the same site. A path is kept for sub-folder installs.
 */
export function normaliseSiteUrl(input: string, field = "site_url"): NormalisedSite {
  const raw = input.trim();
  const fail = (why: string) => invalid(field, why);
  if (raw.length === 0) throw fail("must be a URL like https://example.com");
  // Checked before parsing: the URL parser silently drops tabs and newlines.
  if (CONTROL.test(raw)) throw fail("must not contain control characters");
  // A bare "example.com/shop" means the site a person would open: assume https. Another scheme ("ftp:", "javascript:")
  // is refused below; "localhost:8080" is a host and port, not a scheme.
  const hasScheme = raw.includes("://") || /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(raw);
  // A bare host on port 80 is plain http; otherwise a bare host means https.
  const withScheme = hasScheme ? raw : /^[^/]*:80(\/|$)/.test(raw) ? `http://${raw}` : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw fail("must be a URL like https://example.com");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw fail("must start with http:// or https://");
  if (url.username || url.password) throw fail("must not contain a user name or password");
  if (url.search || url.hash) throw fail("must not carry a query string or fragment");
  // WHATWG URL already lower-cases the host, converts IDN to punycode and drops the scheme's default port.
  const host = url.hostname.replace(/\.$/, "");
  if (!isValidHost(host)) throw fail("must have a valid host name, like example.com");
  if (url.port === "0") throw fail("must not use port 0");
  const path = safeDecode(url.pathname).replace(/\/+$/, "");
  if (CONTROL.test(path)) throw fail("must not contain control characters");
  // The scheme is ignored, so either scheme's default port counts as no port at all.
  const keyPort = url.port && url.port !== "80" && url.port !== "443" ? `:${url.port}` : "";
  // Shown as typed: an IDN typed in Unicode stays readable, one typed as punycode stays punycode (no homograph surprises).
  const shownHost = raw.toLowerCase().includes(host) ? host : domainToUnicode(host);
  const encoded = `${url.protocol}//${host}${url.port ? `:${url.port}` : ""}${url.pathname.replace(/\/+$/, "")}`;
  if (encoded.length > SITE_URL_MAX) throw fail(`must be at most ${SITE_URL_MAX} characters once encoded`);
  const display = encoded.replace(`//${host}`, `//${shownHost}`);
  return { display, key: `${host.replace(/^www\./, "")}${keyPort}${path.toLowerCase()}` };
}

function isValidHost(host: string): boolean {
  if (host.startsWith("[")) return true; // an IPv6 literal, already validated by URL
  if (IPV4.test(host) || host === "localhost") return true;
  const labels = host.split(".");
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels.at(-1) ?? "");
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** What client search matches against, lower-cased once at write time: the name, the site, and both spellings of an IDN host. */
export function searchText(name: string, siteDisplay: string): string {
  let hosts = "";
  try {
    const { hostname } = new URL(siteDisplay);
    hosts = `${hostname} ${domainToUnicode(hostname)}`;
  } catch {
    // Stored sites always parse; nothing more to add if one somehow does not.
  }
  // Capped so the covering index entry stays well under PostgreSQL's ~2.7 KB b-tree limit (at most 3 bytes per unit).
  return foldForSearch(`${name}\n${siteDisplay}\n${hosts}`).slice(0, SEARCH_TEXT_MAX);
}

const SEARCH_TEXT_MAX = 700;

/** How both stored text and queries are folded for "contains" search: compatibility-normalised, lower case. */
export const foldForSearch = (text: string) => text.normalize("NFKC").toLowerCase();
