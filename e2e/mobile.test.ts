import type { Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import type { TestServer } from "../test/helpers/world.js";
import { browserSuite, describeInBrowser } from "./browser-suite.js";
import { goTo, PASSWORD, signIn } from "./helpers.js";

const WIDTH = 375;

/** The dashboard on a 375 px phone: nothing scrolls sideways, tables stack, the nav stays reachable. */
describeInBrowser("phone width (375 px)", () => {
  let server: TestServer;
  let page: Page;
  let errors: string[];
  let email: string;
  const suite = browserSuite();

  beforeAll(async () => {
    const opened = await suite.open({ width: WIDTH, height: 812 });
    ({ server, page, errors, email } = opened);
    const full = await opened.purchase("plan_premium_5");
    await opened.purchase("plan_business_10");
    for (const n of [1, 2, 3, 4, 5]) {
      await opened.api("POST", "/api/v1/clients", {
        name: `Greenleaf Landscaping and Garden Design ${n}`,
        site_url: `https://www.greenleaf-landscaping-and-garden-design-${n}.example.com/portal/clients`,
        pool_id: full,
      });
    }
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
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.getByRole("heading", { name: "Sign in to your dashboard" }).waitFor();
    expect(await scrollWidth()).toBeLessThanOrEqual(WIDTH);
  });

  it("logged no browser console errors", () => {
    expect(errors).toEqual([]);
  });
});
