import type { Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import type { Call, TestServer } from "../test/helpers/world.js";
import { browserSuite, describeInBrowser, type OpenSuite } from "./browser-suite.js";
import { goTo, PASSWORD, signIn } from "./helpers.js";

/** Two pools of one plan told apart everywhere, bare-host sites, and quick actions from the Clients list. */
describeInBrowser("pools of one plan, and quick client actions", () => {
  let server: TestServer;
  let page: Page;
  let errors: string[];
  let api: Call;
  let email: string;
  let firstPremium: string;
  let secondPremium: string;
  const suite = browserSuite();

  beforeAll(async () => {
    let purchase: OpenSuite["purchase"];
    ({ server, page, errors, api, email, purchase } = await suite.open());
    firstPremium = await purchase("plan_premium_5");
    secondPremium = await purchase("plan_premium_5");
    await purchase("plan_business_10");
    await api("POST", "/api/v1/clients", {
      name: "Lumen Yoga Studio",
      site_url: "https://lumenyoga.studio",
      pool_id: firstPremium,
    });
  });

  const clientByName = async (name: string) =>
    (await api("GET", `/api/v1/clients?q=${encodeURIComponent(name)}`)).body.clients[0];

  it("numbers two pools of one plan in purchase order, and counts slots per license type", async () => {
    await signIn(page, server.url, email, PASSWORD);
    const first = page.getByRole("article", { name: "Premium 5 #1 pool" });
    const second = page.getByRole("article", { name: "Premium 5 #2 pool" });
    await first.getByText("1 / 5").waitFor();
    await second.getByText("0 / 5").waitFor();
    expect(await first.getAttribute("data-pool-id")).toBe(firstPremium);
    expect(await second.getAttribute("data-pool-id")).toBe(secondPremium);

    // Premium and Business slots are not added together.
    const inUse = page.getByRole("region", { name: "Totals across all pools" });
    const text = (await inUse.textContent()) ?? "";
    expect(text).toContain("Slots in useBusiness0 / 10Premium1 / 10");
    expect(text).toContain("UnallocatedBusiness10Premium9");
  });

  it("tells the two pools apart in the add-client picker, with their free slots, and accepts a bare host", async () => {
    await goTo(page, "Clients");
    await page.getByRole("button", { name: "Add client" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a client" });
    const first = dialog.getByRole("radio", { name: /Premium 5 #1/ });
    const second = dialog.getByRole("radio", { name: /Premium 5 #2/ });
    await first.waitFor();
    const option = (name: string) => dialog.locator("label").filter({ hasText: name });
    expect(await option("Premium 5 #1").textContent()).toContain("4 of 5 free");
    expect(await option("Premium 5 #2").textContent()).toContain("5 of 5 free");
    expect(await option("Premium 5 #2").textContent()).toMatch(/bought [A-Z][a-z]{2} \d{1,2}, \d{4}/);

    await dialog.getByLabel("Client name").fill("Harbor Coffee Roasters");
    // No scheme: the server assumes https.
    await dialog.getByLabel("Site URL").fill("harborcoffee.example/shop");
    await second.check();
    await dialog.getByRole("button", { name: "Add client" }).click();
    await page.getByTestId("site-key").waitFor();
    await page.getByText("from Premium 5 #2", { exact: false }).waitFor();
    await page.getByRole("button", { name: "I've copied the key" }).click();

    const created = await clientByName("Harbor Coffee Roasters");
    expect(created.site_url).toBe("https://harborcoffee.example/shop");
    expect(created.license.pool_id).toBe(secondPremium);
    const row = page.getByRole("row", { name: /Harbor Coffee Roasters/ });
    await row.getByText("Premium 5 #2").waitFor();
    expect(await row.textContent()).toContain("harborcoffee.example/shop");
    expect(await page.getByRole("row", { name: /Lumen Yoga Studio/ }).textContent()).toContain("Premium 5 #1");
  });

  it("shows an IDN site in Unicode, and the server's refusal next to the Site URL field", async () => {
    await page.getByRole("button", { name: "Add client" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a client" });
    await dialog.getByLabel("Client name").fill("Bücherstube");
    await dialog.getByLabel("Site URL").fill("ftp://buecher.example");
    await dialog.getByRole("radio", { name: /No license for now/ }).check();
    const before = errors.length;
    await dialog.getByRole("button", { name: "Add client" }).click();
    await dialog.getByText("Must start with http:// or https://").waitFor();
    // Chromium logs every 4xx answer as a console error: this one refusal is expected, nothing else.
    expect(errors.splice(before)).toEqual([expect.stringMatching(/status of 400 .*\/api\/v1\/clients\)$/)]);
    expect(await dialog.getByLabel("Site URL").getAttribute("aria-invalid")).toBe("true");

    await dialog.getByLabel("Site URL").fill("bücher.de");
    await dialog.getByRole("button", { name: "Add client" }).click();
    await page.getByTestId("site-key").waitFor();
    await page.getByRole("button", { name: "I've copied the key" }).click();
    expect((await clientByName("Bücherstube")).site_url).toBe("https://bücher.de");
    await page
      .getByRole("row", { name: /Bücherstube/ })
      .getByText("bücher.de", { exact: true })
      .waitFor();
  });

  it("suspends and resumes from the Clients list through the row menu, with the same confirmation", async () => {
    const row = page.getByRole("row", { name: /Lumen Yoga Studio/ });
    const menuButton = row.getByRole("button", { name: "More actions for Lumen Yoga Studio" });
    await menuButton.click();
    const menu = page.getByRole("menu", { name: "More actions for Lumen Yoga Studio" });
    await menu.waitFor();
    // Keyboard: the first item has focus; Esc closes the menu and returns focus to its button.
    expect(await page.evaluate("document.activeElement?.textContent")).toBe("Suspend client");
    await page.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
    expect(await page.evaluate("document.activeElement?.getAttribute('aria-label')")).toBe("More actions for Lumen Yoga Studio");

    await menuButton.click();
    await menu.getByRole("menuitem", { name: "Suspend client" }).click();
    const dialog = page.getByRole("dialog", { name: "Suspend Lumen Yoga Studio?" });
    await dialog.waitFor();
    expect((await clientByName("Lumen Yoga Studio")).status).toBe("active");
    await dialog.getByRole("button", { name: "Suspend client" }).click();
    await dialog.waitFor({ state: "detached" });
    await row.getByText("Suspended", { exact: true }).waitFor();
    const suspended = await clientByName("Lumen Yoga Studio");
    expect(suspended.status).toBe("suspended");
    expect(suspended.license.pool_id).toBe(firstPremium);

    await menuButton.click();
    await menu.getByRole("menuitem", { name: "Resume client" }).click();
    await row.getByText("Active", { exact: true }).waitFor();
    expect((await clientByName("Lumen Yoga Studio")).status).toBe("active");
  });

  it("revokes from the Clients list through the same confirmation as elsewhere", async () => {
    const row = page.getByRole("row", { name: /Harbor Coffee Roasters/ });
    await row.getByRole("button", { name: "More actions for Harbor Coffee Roasters" }).click();
    await page.getByRole("menuitem", { name: "Revoke license" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke Harbor Coffee Roasters's license?" });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("harborcoffee.example/shop");
    await dialog.getByRole("button", { name: "Revoke license" }).click();
    await dialog.waitFor({ state: "detached" });
    await row.getByText("No license").waitFor();
    expect((await clientByName("Harbor Coffee Roasters")).license).toBeNull();
  });

  it("reads naturally once the last holder of a pool is revoked", async () => {
    await goTo(page, "Licenses");
    const first = page.getByRole("article", { name: "Premium 5 #1 pool" });
    await first.getByRole("button", { name: "Show clients (1)" }).click();
    await first.getByRole("button", { name: "Revoke license of Lumen Yoga Studio" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke license" }).click();
    await first.getByText("License revoked from Lumen Yoga Studio.").waitFor();
    await first.getByRole("heading", { name: "No clients hold a slot in this pool right now" }).waitFor();
    expect(await page.locator(".toast").filter({ hasText: "revoked from Lumen" }).count()).toBe(0);
  });

  it("dates activity entries absolutely, with the relative time beside them", async () => {
    await goTo(page, "Activity");
    const entry = page.getByRole("list", { name: "Activity entries" }).getByRole("listitem").first();
    await entry.waitFor();
    const text = (await entry.textContent()) ?? "";
    expect(text).toMatch(/[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s?[AP]M/);
    expect(text).toMatch(/just now|minute/);
    expect(text).toContain("Premium 5 #1");
  });

  it("lists purchases with their pool and price", async () => {
    await goTo(page, "Plans");
    const history = page.getByRole("table", { name: "Purchases" });
    await history.waitFor();
    await history.getByRole("columnheader", { name: "Price" }).waitFor();
    const second = history.getByRole("row", { name: /Premium 5 #2/ });
    expect(await second.textContent()).toContain("$245");
    expect(await history.getByRole("row", { name: /Business 10/ }).textContent()).toContain("$790");
  });

  it("logged no browser console errors", () => {
    expect(errors).toEqual([]);
  });
});
