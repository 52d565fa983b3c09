import type { Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import { client, makeSupport, type TestServer } from "../test/helpers/world.js";
import { browserSuite, describeInBrowser, type OpenSuite } from "./browser-suite.js";
import { goTo, PASSWORD, signIn } from "./helpers.js";

/** Settings: the reseller's account and API key, rotating the key; and who may open which pages. */
describeInBrowser("settings and page access", () => {
  let server: TestServer;
  let page: Page;
  let errors: string[];
  let email: string;
  let resellerName: string;
  let oldKey: string;
  let newKey: string;
  let supportEmail: string;
  const suite = browserSuite();

  beforeAll(async () => {
    let reseller: OpenSuite["reseller"];
    ({ server, page, errors, email, reseller } = await suite.open());
    resellerName = reseller.reseller.name;
    oldKey = reseller.api_key;
    supportEmail = (await makeSupport(server.db, { password: PASSWORD })).email;
  });

  const me = (key: string) => client(server.url, key)("GET", "/api/v1/me");

  it("asks the server for the session on load: signed out, then still signed in after a reload", async () => {
    await page.goto(`${server.url}/settings`);
    await page.getByRole("heading", { name: "Sign in to your dashboard" }).waitFor();
    await signIn(page, server.url, email, PASSWORD);
    await page.reload();
    await page.getByRole("navigation", { name: "Main" }).waitFor();
    // No "probably signed in" hint is kept in the browser any more.
    expect(await page.evaluate("window.localStorage.length")).toBe(0);
  });

  it("shows the account, the API key's prefix and how to use the API", async () => {
    await goTo(page, "Settings");
    const account = page.getByRole("region", { name: "Account" });
    await account.getByText(resellerName, { exact: true }).waitFor();
    await account.getByText(email, { exact: true }).waitFor();

    const prefix = (await me(oldKey)).body.reseller.api_key_prefix as string;
    expect(oldKey.startsWith(prefix)).toBe(true);
    expect(await page.getByTestId("api-key-prefix").textContent()).toBe(`${prefix}…`);
    // Only the prefix: the key itself is never on the page.
    expect(await page.content()).not.toContain(oldKey);

    const usage = page.getByRole("region", { name: "Using the API" });
    await usage.getByText(`${server.url}/api/v1`, { exact: true }).waitFor();
    await usage.getByText("Authorization: Bearer <API key>", { exact: true }).waitFor();
  });

  it("rotates the API key after a warning: the old key stops working, the new one works, shown once", async () => {
    await page.getByRole("button", { name: "Rotate API key" }).click();
    const dialog = page.getByRole("dialog", { name: "Rotate your API key?" });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("stops working immediately");
    // Nothing has happened yet; Cancel changes nothing.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect((await me(oldKey)).status).toBe(200);

    await page.getByRole("button", { name: "Rotate API key" }).click();
    await dialog.getByRole("button", { name: "Rotate API key" }).click();
    const reveal = page.getByRole("dialog", { name: "Your new API key" });
    await reveal.waitFor();
    newKey = await reveal.getByTestId("api-key").inputValue();
    expect(newKey).toMatch(/^lp_live_/);
    expect(newKey).not.toBe(oldKey);
    await reveal.getByRole("button", { name: "Copy key" }).waitFor();
    await reveal.getByText("It is shown only once.", { exact: false }).waitFor();

    const rejected = await me(oldKey);
    expect(rejected.status).toBe(401);
    const accepted = await me(newKey);
    expect(accepted.status).toBe(200);
    expect(accepted.body.reseller.email).toBe(email);

    await reveal.getByRole("button", { name: "I've copied the key" }).click();
    await reveal.waitFor({ state: "detached" });
    // The page now shows the new key's prefix, and the key itself is gone from it.
    expect(await page.getByTestId("api-key-prefix").textContent()).toBe(`${accepted.body.reseller.api_key_prefix}…`);
    expect(newKey.startsWith(accepted.body.reseller.api_key_prefix)).toBe(true);
    expect(await page.content()).not.toContain(newKey);
    // Focus goes back to the button that opened the dialog (the key's row button, labelled with the key's name).
    expect(await page.evaluate("document.activeElement?.getAttribute('aria-label')")).toBe("Rotate API key");
  });

  it("records the rotation in the activity log", async () => {
    await goTo(page, "Activity");
    const entry = page
      .getByRole("list", { name: "Activity entries" })
      .getByRole("listitem")
      .filter({ hasText: "API key rotated" });
    await entry.waitFor();
    expect(await entry.textContent()).toContain(email);
  });

  it("tells a reseller who opens /support that the page is for support staff", async () => {
    await page.goto(`${server.url}/support`);
    await page.getByRole("heading", { name: "This page is for support staff" }).waitFor();
    expect(await page.getByText("Page not found").count()).toBe(0);
    await page.getByRole("link", { name: "Go to Licenses" }).click();
    await page.getByRole("heading", { name: "Licenses", level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/licenses");
  });

  it("sends support staff from reseller pages to the support console", async () => {
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.getByRole("heading", { name: "Sign in to your dashboard" }).waitFor();
    await signIn(page, server.url, supportEmail, PASSWORD);
    for (const path of ["/licenses", "/settings", "/clients"]) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole("heading", { name: "Support console", level: 1 }).waitFor();
      expect(new URL(page.url()).pathname, path).toBe("/support");
    }
  });

  it("logged no browser console errors", () => {
    expect(errors).toEqual([]);
  });
});
