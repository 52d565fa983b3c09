import type { Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import type { Call, TestServer } from "../test/helpers/world.js";
import { browserSuite, describeInBrowser, type OpenSuite } from "./browser-suite.js";
import { goTo, PASSWORD, signIn } from "./helpers.js";

/** Per-client actions from the Clients page: suspend and resume, change license type, and the audit trail they leave. */
describeInBrowser("clients page", () => {
  let server: TestServer;
  let page: Page;
  let errors: string[];
  let api: Call;
  let email: string;
  let clientId: string;
  let premiumPool: string;
  let businessPool: string;
  const suite = browserSuite();

  beforeAll(async () => {
    let purchase: OpenSuite["purchase"];
    ({ server, page, errors, api, email, purchase } = await suite.open());
    premiumPool = await purchase("plan_premium_5");
    businessPool = await purchase("plan_business_10");
    const created = await api("POST", "/api/v1/clients", {
      name: "Lumen Yoga Studio",
      site_url: "https://lumenyoga.studio",
      pool_id: premiumPool,
    });
    clientId = created.body.client.id;
    await api("POST", "/api/v1/clients", { name: "Atlas Legal Group", site_url: "https://atlaslegal.com", pool_id: premiumPool });
  });

  const current = async () => (await api("GET", `/api/v1/clients/${clientId}`)).body.client;

  it("lists clients with status, license type and pool, and searches them", async () => {
    await signIn(page, server.url, email, PASSWORD);
    await goTo(page, "Clients");
    const row = page.getByRole("row", { name: /Lumen Yoga Studio/ });
    await row.waitFor();
    expect(await row.textContent()).toContain("lumenyoga.studio");
    expect(await row.textContent()).toContain("Active");
    expect(await row.textContent()).toContain("Premium");
    expect(await row.textContent()).toContain("Premium 5");
    expect(await row.textContent()).toContain("Never checked in");

    await page.getByLabel("Search clients").fill("atlas");
    await page.getByRole("row", { name: /Lumen Yoga Studio/ }).waitFor({ state: "detached" });
    await page.getByRole("row", { name: /Atlas Legal Group/ }).waitFor();
    await page.getByLabel("Search clients").fill("lumen");
    await page.getByRole("link", { name: "Manage Lumen Yoga Studio" }).click();
    await page.getByRole("heading", { name: "Lumen Yoga Studio", level: 1 }).waitFor();
  });

  it("suspends after a confirmation, then resumes", async () => {
    await page.getByRole("button", { name: "Suspend client" }).click();
    const dialog = page.getByRole("dialog", { name: "Suspend Lumen Yoga Studio?" });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("lumenyoga.studio");
    expect((await current()).status).toBe("active");
    await dialog.getByRole("button", { name: "Suspend client" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Resume client" }).waitFor();
    await page.getByText("Suspended", { exact: true }).first().waitFor();
    expect((await current()).status).toBe("suspended");
    // Suspension keeps the slot.
    expect((await current()).license.pool_id).toBe(premiumPool);

    await page.getByRole("button", { name: "Resume client" }).click();
    await page.getByRole("button", { name: "Suspend client" }).waitFor();
    expect((await current()).status).toBe("active");
  });

  it("changes the license type by reissuing to another pool", async () => {
    await page.getByRole("button", { name: "Change license or pool" }).click();
    const dialog = page.getByRole("dialog", { name: "Change license or pool" });
    await dialog.waitFor();
    // Options are grouped by license type; the current pool is marked and cannot be picked.
    await dialog.getByRole("group", { name: "Premium" }).waitFor();
    await dialog.getByRole("group", { name: "Business" }).waitFor();
    const currentPool = dialog.getByRole("radio", { name: /Premium 5/ });
    expect(await currentPool.isDisabled()).toBe(true);
    expect(await dialog.getByRole("group", { name: "Premium" }).textContent()).toContain("Current pool");
    await dialog.getByRole("radio", { name: /Business 10/ }).check();
    await dialog.getByRole("button", { name: "Move to Business 10" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("region", { name: "License" }).getByText("Business", { exact: true }).waitFor();

    const after = await current();
    expect(after.license.pool_id).toBe(businessPool);
    expect(after.license.license_type).toBe("business");
    const pools = (await api("GET", "/api/v1/pools")).body.pools as { id: string; used: number }[];
    expect(pools.find((p) => p.id === premiumPool)?.used).toBe(1);
    expect(pools.find((p) => p.id === businessPool)?.used).toBe(1);
  });

  it("shows the changes in the activity log, in words, filterable by action", async () => {
    // Entries carry their client's name: no per-client lookups, no scan of offboarded clients.
    const lookups: string[] = [];
    const onRequest = (req: { url(): string }) => {
      const url = new URL(req.url());
      if (/^\/api\/v1\/clients\/[^/]+$/.test(url.pathname) || url.searchParams.get("action") === "client.deleted") {
        lookups.push(req.url());
      }
    };
    page.on("request", onRequest);
    await goTo(page, "Activity");
    const log = page.getByRole("list", { name: "Activity entries" });
    const reissued = log.getByRole("listitem").filter({ hasText: "License moved to another pool" });
    await reissued.waitFor();
    expect(await reissued.textContent()).toContain("Premium 5 → Business 10");
    expect(await reissued.textContent()).toContain(email);

    await page.getByLabel("Filter by action").selectOption("client.suspended");
    await reissued.waitFor({ state: "detached" });
    const suspended = log.getByRole("listitem").filter({ hasText: "Client suspended" });
    await suspended.waitFor();
    expect(await suspended.textContent()).toContain("Lumen Yoga Studio");
    expect(await log.getByRole("listitem").count()).toBe(1);
    page.off("request", onRequest);
    expect(lookups).toEqual([]);
  });

  it("logged no browser console errors", () => {
    expect(errors).toEqual([]);
  });
});
