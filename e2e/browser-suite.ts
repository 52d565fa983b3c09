import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, describe } from "vitest";
import { type Call, client, makeReseller, startServer, type TestServer } from "../test/helpers/world.js";
import { browserUnavailableReason, ensureWebBuilt, launchChromium, newPage, PASSWORD, WEB_ROOT } from "./helpers.js";

/**
 * `describe` for browser tests: skipped with the reason when there is no system Chromium,
 * unless REQUIRE_BROWSER=1, where a missing browser is a failure.
 */
export function describeInBrowser(name: string, fn: () => void): void {
  const reason = browserUnavailableReason();
  if (reason && process.env.REQUIRE_BROWSER === "1") throw new Error(`REQUIRE_BROWSER=1 but ${reason}`);
  if (reason) describe.skip(`${name} — skipped: ${reason}`, fn);
  else describe(name, fn);
}

/** What a browser suite runs against: a fresh server with one reseller who can sign in, and a page in Chromium. */
export interface OpenSuite {
  server: TestServer;
  page: Page;
  /** The page's console errors; each suite asserts this stays empty. */
  errors: string[];
  reseller: Awaited<ReturnType<typeof makeReseller>>;
  /** The reseller's email; the password is PASSWORD. */
  email: string;
  /** The API as that reseller. */
  api: Call;
  /** Buys a plan as the reseller and returns the new pool's id. */
  purchase: (planId: string) => Promise<string>;
}

/**
 * Call inside `describeInBrowser`: closes whatever `open()` started after all tests.
 * `open()` (from a `beforeAll`) builds the dashboard if stale, starts a server, makes a reseller and opens a page.
 */
export function browserSuite(): { open: (viewport?: { width?: number; height?: number }) => Promise<OpenSuite> } {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  return {
    async open(viewport = {}) {
      ensureWebBuilt();
      server = await startServer("sqlite", { webRoot: WEB_ROOT });
      const reseller = await makeReseller(server.db, { password: PASSWORD });
      const api = client(server.url, reseller.api_key);
      browser = await launchChromium();
      const opened = await newPage(browser, viewport);
      context = opened.context;
      return {
        server,
        page: opened.page,
        errors: opened.errors,
        reseller,
        email: reseller.email,
        api,
        purchase: async (planId) => (await api("POST", "/api/v1/purchases", { plan_id: planId })).body.pool.id,
      };
    },
  };
}
