import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { client, makeReseller, startServer, type TestServer } from "../test/helpers/world.js";
import { describeInBrowser } from "./browser-suite.js";
import { ensureWebBuilt, goTo, launchChromium, newPage, PASSWORD, signIn, WEB_ROOT } from "./helpers.js";

const WIDTH = 375;

/** The dashboard on a 375 px phone: nothing scrolls sideways, tables stack, the nav stays reachable. */
describeInBrowser("phone width (375 px)", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let email: string;

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startServer("sqlite", { webRoot: WEB_ROOT });
    const reseller = await makeReseller(server.db, { password: PASSWORD });
    email = reseller.email;
    const api = client(server.url, reseller.api_key);
    const full = (await api("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" })).body.pool.id;
    await api("POST", "/api/v1/purchases", { plan_id: "plan_business_10" });
    for (const n of [1, 2, 3, 4, 5]) {
      await api("POST", "/api/v1/clients", {
        name: `Greenleaf Landscaping and Garden Design ${n}`,
        site_url: `https://www.greenleaf-landscaping-and-garden-design-${n}.example.com/portal/clients`,
        pool_id: full,
      });
    }
    browser = await launchChromium();
    ({ context, page, errors } = await newPage(browser, { width: WIDTH, height: 812 }));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  const scrollWidth = async () => Number(await page.evaluate("document.documentElement.scrollWidth"));

  it("has no horizontal overflow on the Licenses page", async () => {
    await signIn(page, server.url, email, PASSWORD);
    const card = page.getByRole("article", { name: "Premium 5 pool" });
    await card.getByText("Full", { exact: true }).waitFor();
    await page.getByRole("article", { name: "Business 10 pool" }).waitFor();
    expect(await scrollWidth()).toBeLessThanOrEqual(WIDTH);

    // Expanded, with its holders table stacked into cards.
    await card.getByRole("button", { name: "Show clients (5)" }).click();
    await card.getByRole("button", { name: "Revoke license of Greenleaf Landscaping and Garden Design 1" }).waitFor();
    expect(await scrollWidth()).toBeLessThanOrEqual(WIDTH);
  });

  it("keeps other pages within the screen too", async () => {
    for (const section of ["Clients", "Plans", "Activity", "Settings"]) {
      await goTo(page, section);
      await page.locator("table, .plan-card, .log, .api-usage").first().waitFor();
      expect(await scrollWidth(), section).toBeLessThanOrEqual(WIDTH);
    }
  });

  it("reaches sign-out through the account menu", async () => {
    await page.getByRole("button", { name: "Show account menu" }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in to your dashboard" }).waitFor();
    expect(await scrollWidth()).toBeLessThanOrEqual(WIDTH);
  });

  it("logged no browser console errors", () => {
    expect(errors).toEqual([]);
  });
});
