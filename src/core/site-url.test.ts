import { describe, expect, it } from "vitest";
import { AppError } from "./app-error.js";
import { normaliseSiteUrl, searchText } from "./site-url.js";

const key = (u: string) => normaliseSiteUrl(u).key;

describe("normaliseSiteUrl", () => {
  it.each([
    ["https://example.com", "http://example.com"],
    ["https://example.com", "https://www.example.com"],
    ["https://example.com", "HTTPS://EXAMPLE.COM"],
    ["https://example.com", "https://example.com/"],
    ["https://example.com", "https://example.com:443"],
    ["https://example.com", "http://example.com:80/"],
    ["https://example.com", "  https://example.com  "],
    ["https://example.com", "https://example.com."],
    ["https://bücher.de", "https://xn--bcher-kva.de"],
    ["https://www.Bücher.de/", "http://XN--BCHER-KVA.DE"],
    ["https://example.com/blog", "https://www.example.com/Blog/"],
    ["https://example.com/caf%C3%A9", "https://example.com/café"],
  ])("treats %s and %s as the same site", (a, b) => {
    expect(key(a)).toBe(key(b));
  });

  it.each([
    ["https://example.com", "https://example.org"],
    ["https://example.com", "https://example.com:8443"],
    ["https://example.com", "https://example.com/blog"],
    ["https://example.com", "https://shop.example.com"],
    ["https://example.com/a", "https://example.com/b"],
  ])("keeps %s and %s apart", (a, b) => {
    expect(key(a)).not.toBe(key(b));
  });

  it("assumes https for a bare host, but refuses other schemes", () => {
    expect(normaliseSiteUrl("Example.com/Shop/").display).toBe("https://example.com/Shop");
    expect(key("example.com")).toBe(key("http://www.example.com"));
    expect(normaliseSiteUrl("localhost:8080/wp").display).toBe("https://localhost:8080/wp");
  });

  it("makes both spellings of an IDN searchable", () => {
    const text = searchText("Bookshop", normaliseSiteUrl("https://www.bücher.de").display);
    expect(text).toContain("bücher.de");
    expect(text).toContain("xn--bcher-kva.de");
  });

  it("accepts IP literals, localhost with a port, and long ordinary names", () => {
    expect(key("http://192.168.10.5:8080/wp")).toBe("192.168.10.5:8080/wp");
    expect(key("http://[2001:db8::1]/")).toBe("[2001:db8::1]");
    expect(key("http://localhost:8888")).toBe("localhost:8888");
    expect(key(`https://${"a".repeat(63)}.example.co.uk`)).toBe(`${"a".repeat(63)}.example.co.uk`);
  });

  it("tidies what it shows but keeps the scheme and path the reseller gave", () => {
    expect(normaliseSiteUrl("HTTPS://WWW.Example.COM:443/Shop/").display).toBe("https://www.example.com/Shop");
    expect(normaliseSiteUrl("http://bücher.de").display).toBe("http://bücher.de");
    expect(normaliseSiteUrl("http://xn--bcher-kva.de").display).toBe("http://xn--bcher-kva.de");
  });

  it.each([
    "",
    "ftp://example.com",
    "javascript:alert(1)",
    "https://",
    "https://user:pw@example.com",
    "https://localhost-ish",
    "https://example.com/?p=1",
    "https://example.com/#x",
    `https://${"a".repeat(2100)}.com`,
    "http://*.example.com",
    "http://.example.com",
    "http://www..example.com",
    "https://example.com:0",
    "https://x.example/%00",
    "https://-bad-.example.com",
    "https://example.com/ok\tno",
    `https://example.com/${"\u4e00".repeat(60)}`,
  ])("rejects %s as a validation error on site_url", (bad) => {
    try {
      normaliseSiteUrl(bad);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("validation_error");
      expect((err as AppError).details?.field).toBe("site_url");
    }
  });
});
