import type { Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import { type Call, makeReseller, makeSupport, type TestServer } from "../test/helpers/world.js";
import { browserSuite, describeInBrowser } from "./browser-suite.js";
import { PASSWORD, signIn } from "./helpers.js";

/** A reseller with a full pool asks for more room; support approves it and adjusts another pool. */
describeInBrowser("support console", () => {
  let server: TestServer;
  let page: Page;
  let errors: string[];
  let api: Call;
  let resellerEmail: string;
  let resellerName: string;
  let supportEmail: string;
  let otherName: string;
  let premiumPool: string;
  let businessPool: string;
  const suite = browserSuite();

  beforeAll(async () => {
    const opened = await suite.open();
    ({ server, page, errors, api, email: resellerEmail } = opened);
    resellerName = opened.reseller.reseller.name;
    supportEmail = (await makeSupport(server.db, { password: PASSWORD })).email;
    otherName = (await makeReseller(server.db)).reseller.name;
    premiumPool = await opened.purchase("plan_premium_5");
    businessPool = await opened.purchase("plan_business_10");
    for (const n of [1, 2, 3, 4, 5]) {
      await api("POST", "/api/v1/clients", { name: `Site ${n}`, site_url: `https://site${n}.example.com`, pool_id: premiumPool });
    }
    await api("POST", "/api/v1/clients", { name: "Business site", site_url: "https://biz.example.com", pool_id: businessPool });
  });

  const pool = async (id: string) =>
    ((await api("GET", "/api/v1/pools")).body.pools as { id: string; total: number }[]).find((p) => p.id === id);

  it("lets the reseller ask support to resize a full pool", async () => {
    await signIn(page, server.url, resellerEmail, PASSWORD);
    const card = page.getByRole("article", { name: "Premium 5 pool" });
    await card.getByText("Full", { exact: true }).waitFor();
    await card.getByRole("button", { name: "Request size change" }).click();
    const dialog = page.getByRole("dialog", { name: "Ask support to resize this pool" });
    await dialog.waitFor();
    await dialog.getByLabel("New pool size (slots)").fill("3");
    await dialog.getByRole("button", { name: "Send request" }).click();
    // Validation next to the field: below the slots in use.
    await dialog.getByText("5 slots are in use; ask for at least 5.").waitFor();
    await dialog.getByLabel("New pool size (slots)").fill("8");
    await dialog.getByLabel("Note for support (optional)").fill("Three new cafés sign on next month.");
    await dialog.getByRole("button", { name: "Send request" }).click();
    await dialog.waitFor({ state: "detached" });
    await card.getByText("You asked support to change this pool to 8 slots.").waitFor();
    await card.getByText("Request pending").waitFor();
  });

  it("signs the reseller out", async () => {
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.getByRole("heading", { name: "Sign in to your dashboard" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/signin");
  });

  it("lands support staff on the support console, which lists the pending request", async () => {
    await signIn(page, server.url, supportEmail, PASSWORD);
    await page.getByRole("heading", { name: "Support console", level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/support");
    const row = page.getByRole("row", { name: new RegExp(resellerName) });
    await row.waitFor();
    expect(await row.textContent()).toContain("5 → 8");
    expect(await row.textContent()).toContain("Three new cafés sign on next month.");
    // The row names the pool, and shows how full it is.
    expect(await row.textContent()).toContain("Premium 5");
    expect(await row.textContent()).toContain("5 of 5 used");
  });

  it("approves the reseller's request, which resizes the pool", async () => {
    await page.getByRole("button", { name: `Approve request from ${resellerName}` }).click();
    const dialog = page.getByRole("dialog", { name: "Approve pool-size request?" });
    await dialog.waitFor();
    expect((await pool(premiumPool))?.total).toBe(5);
    await dialog.getByLabel("Note (optional)").fill("Approved for the café rollout");
    await dialog.getByRole("button", { name: "Approve and resize" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("heading", { name: "No pending requests" }).waitFor();
    expect((await pool(premiumPool))?.total).toBe(8);
    const reseller = page.getByRole("article", { name: resellerName });
    await reseller.getByText("5 / 8").waitFor();
  });

  it("adjusts a pool's size with a reason", async () => {
    const reseller = page.getByRole("article", { name: resellerName });
    await reseller.getByRole("button", { name: `Adjust ${resellerName} Business 10 pool (10 slots)` }).click();
    const dialog = page.getByRole("dialog", { name: "Adjust Business pool" });
    await dialog.waitFor();
    await dialog.getByLabel("New size (slots)").fill("15");
    await dialog.getByRole("button", { name: "Change size" }).click();
    await dialog.getByText("Say why: it is kept in the reseller's audit log.").waitFor();
    await dialog.getByLabel("Reason").fill("Goodwill credit after the March outage");
    await dialog.getByRole("button", { name: "Change size" }).click();
    await dialog.waitFor({ state: "detached" });
    await reseller.getByText("1 / 15").waitFor();
    expect((await pool(businessPool))?.total).toBe(15);
  });

  it("declines a request, and lists decided requests with their pool, decision and reason", async () => {
    const filed = await api("POST", "/api/v1/pool-requests", { pool_id: businessPool, requested_total: 40, note: "Big launch" });
    expect(filed.status).toBe(201);
    await page.reload();
    const row = page.getByRole("row", { name: new RegExp(resellerName) });
    // The resized pool keeps its plan name, without implying its old size.
    await row.getByText("Business 10 (resized to 15)").waitFor();
    await page.getByRole("button", { name: `Decline request from ${resellerName}` }).click();
    const dialog = page.getByRole("dialog", { name: "Decline pool-size request?" });
    await dialog.getByLabel(/Reason/).fill("Please buy a Business 50 plan instead");
    await dialog.getByRole("button", { name: "Decline request" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("heading", { name: "No pending requests" }).waitFor();

    await page.getByRole("tab", { name: "Decided" }).click();
    const decided = page.getByRole("table", { name: "Decided pool-size requests" });
    await decided.waitFor();
    const rows = decided.getByRole("row", { name: new RegExp(resellerName) });
    expect(await rows.count()).toBe(2);
    // Newest decision first.
    const declined = rows.nth(0);
    expect(await declined.textContent()).toContain("Declined");
    expect(await declined.textContent()).toContain("Please buy a Business 50 plan instead");
    expect(await declined.textContent()).toContain("Business 10 (resized to 15)");
    expect(await declined.textContent()).toContain("15 → 40");
    const approved = rows.nth(1);
    expect(await approved.textContent()).toContain("Approved");
    expect(await approved.textContent()).toContain("Approved for the café rollout");
    expect(await approved.textContent()).toContain("Premium 5 (resized to 8)");
    expect(await approved.textContent()).toContain("5 → 8");
    expect(new URL(page.url()).searchParams.get("requests")).toBe("decided");
    await page.getByRole("tab", { name: /Pending/ }).click();
    await page.getByRole("heading", { name: "No pending requests" }).waitFor();
  });

  it("grants a reseller a new pool, with a reason", async () => {
    const reseller = page.getByRole("article", { name: resellerName });
    await reseller.getByRole("button", { name: `Grant a pool to ${resellerName}` }).click();
    const dialog = page.getByRole("dialog", { name: `Grant a pool to ${resellerName}` });
    await dialog.waitFor();
    await dialog.getByLabel("License type").selectOption("business");
    await dialog.getByLabel("Slots").fill("0");
    await dialog.getByRole("button", { name: "Grant pool" }).click();
    await dialog.getByText("Enter a whole number of slots, at least 1.").waitFor();
    await dialog.getByText("Say why: it is kept in the reseller's audit log.").waitFor();
    await dialog.getByLabel("Slots").fill("3");
    await dialog.getByLabel("Reason").fill("Migration from the legacy program");
    await dialog.getByRole("button", { name: "Grant pool" }).click();
    await dialog.waitFor({ state: "detached" });
    await reseller.getByRole("progressbar", { name: `${resellerName} Business support grant pool: slots used` }).waitFor();
    await reseller.getByText("0 / 3").waitFor();

    const pools = (await api("GET", "/api/v1/pools")).body.pools as { license_type: string; total: number; source: string }[];
    const granted = pools.filter((p) => p.source === "adjustment");
    expect(granted).toEqual([expect.objectContaining({ license_type: "business", total: 3 })]);
  });

  it("searches resellers by name or email", async () => {
    const search = page.getByLabel("Search resellers");
    await page.getByRole("article", { name: otherName }).waitFor();
    // Part of the email, in other letter case.
    await search.fill(resellerEmail.split("@")[0]?.toUpperCase() ?? "");
    await page.getByRole("article", { name: otherName }).waitFor({ state: "detached" });
    await page.getByRole("article", { name: resellerName }).waitFor();
    expect(new URL(page.url()).searchParams.get("q")).toBe(resellerEmail.split("@")[0]?.toUpperCase());

    await search.fill(otherName);
    await page.getByRole("article", { name: resellerName }).waitFor({ state: "detached" });
    await page.getByRole("article", { name: otherName }).waitFor();

    await search.fill("no such reseller");
    await page.getByRole("heading", { name: "No reseller matches “no such reseller”" }).waitFor();
    await page.getByRole("button", { name: "Clear search" }).click();
    await page.getByRole("article", { name: resellerName }).waitFor();
    await page.getByRole("article", { name: otherName }).waitFor();
    expect(await search.inputValue()).toBe("");
  });

  it("logged no browser console errors", () => {
    expect(errors).toEqual([]);
  });
});
