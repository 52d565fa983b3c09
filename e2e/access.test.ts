import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { client, type TestServer } from "../test/helpers/world.js";
import { browserSuite, describeInBrowser } from "./browser-suite.js";
import { collectConsoleErrors, goTo, PASSWORD, signIn } from "./helpers.js";

/**
 * Access in the dashboard: an owner invites staff and a viewer by link, each accepts and sees what their role allows;
 * the owner makes and revokes an API key; signing out everywhere ends the other browser's session too.
 */
describeInBrowser("users, roles and API keys", () => {
  let server: TestServer;
  let page: Page;
  let errors: string[];
  let email: string;
  let api: ReturnType<typeof client>;
  let browser: Browser;
  const others: { close(): Promise<void> }[] = [];
  const otherErrors: string[] = [];
  const suite = browserSuite();
  const staffEmail = "sam.staff@example.com";
  const viewerEmail = "vera.viewer@example.com";
  let staffLink = "";
  let viewerLink = "";

  beforeAll(async () => {
    ({ server, page, errors, email, api } = await suite.open());
    browser = page.context().browser() as Browser;
    const pool = (await api("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" })).body.pool.id;
    await api("POST", "/api/v1/clients", { name: "Harbor Coffee", site_url: "harborcoffee.example", pool_id: pool });
    await api("POST", "/api/v1/clients", { name: "Cedar Ridge Veterinary", site_url: "cedarridge.example" });
  });
  afterAll(async () => {
    for (const o of others) await o.close();
  });

  /** A second browser (its own cookies), as another person on another computer. */
  async function otherBrowser(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US", timezoneId: "UTC" });
    others.push(context);
    const p = await context.newPage();
    p.setDefaultTimeout(15_000);
    otherErrors.push(...collectConsoleErrors(p));
    return p;
  }

  async function invite(who: string, role: "Staff" | "Viewer"): Promise<string> {
    await page.getByRole("button", { name: "Invite user" }).click();
    const dialog = page.getByRole("dialog", { name: "Invite a user" });
    await dialog.getByLabel("Email").fill(who);
    await dialog.getByRole("radio", { name: new RegExp(`^${role}`) }).check();
    await dialog.getByRole("button", { name: "Create invite link" }).click();
    const reveal = page.getByRole("dialog", { name: `Invite link for ${who}` });
    const link = await reveal.getByTestId("invite-url").inputValue();
    await reveal.getByText("Copy this link now").waitFor();
    await reveal.getByRole("button", { name: "Done" }).click();
    await reveal.waitFor({ state: "detached" });
    return link;
  }

  async function accept(link: string, name: string): Promise<Page> {
    const p = await otherBrowser();
    await p.goto(link);
    await p.getByRole("heading", { name: /^Join Reseller/ }).waitFor();
    await p.getByLabel("Your name (optional)").fill(name);
    await p.getByLabel("Choose a password").fill(PASSWORD);
    await p.getByLabel("Repeat the password").fill(PASSWORD);
    await p.getByRole("button", { name: /^Join Reseller/ }).click();
    await p.getByRole("heading", { name: "Licenses", level: 1 }).waitFor();
    return p;
  }

  it("an owner invites staff and a viewer; the links are shown once and the invites wait in a list", async () => {
    await signIn(page, server.url, email, PASSWORD);
    await goTo(page, "Users");
    await page.getByRole("cell", { name: `${email} You`, exact: true }).waitFor();
    staffLink = await invite(staffEmail, "Staff");
    viewerLink = await invite(viewerEmail, "Viewer");
    expect(staffLink).toMatch(new RegExp(`^${server.url}/invite/lp_inv_`));
    const pending = page.getByRole("table", { name: "Pending invites" });
    await pending.getByRole("cell", { name: staffEmail, exact: true }).waitFor();
    await pending.getByRole("cell", { name: viewerEmail, exact: true }).waitFor();
    // The link itself is never shown again.
    expect(await page.content()).not.toContain(staffLink.split("/invite/")[1]);
  });

  it("staff accept by link, can allocate licenses and add clients, and see no user or key management", async () => {
    const staff = await accept(staffLink, "Sam Staff");
    const nav = staff.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link", { name: "Users" }).count()).toBe(0);

    const pool = staff.getByRole("article").filter({ hasText: "Premium" });
    await pool.getByRole("button", { name: "Allocate License" }).click();
    const dialog = staff.getByRole("dialog", { name: /^Allocate a .* license$/ });
    await dialog.getByRole("radio", { name: /Cedar Ridge Veterinary/ }).check();
    await dialog.getByRole("button", { name: "Allocate to Cedar Ridge Veterinary" }).click();
    await dialog.waitFor({ state: "detached" });
    await pool.getByText("2 / 5").waitFor();

    await goTo(staff, "Clients");
    await staff.getByRole("button", { name: "Add client" }).waitFor();

    await goTo(staff, "Settings");
    await staff.getByTestId("my-role").getByText("Staff").waitFor();
    await staff.getByText("Only owners of", { exact: false }).waitFor();
    expect(await staff.getByRole("button", { name: "Create API key" }).count()).toBe(0);

    await staff.goto(`${server.url}/users`);
    await staff.getByRole("heading", { name: "Only owners manage users" }).waitFor();

    const log = await api("GET", "/api/v1/activity?action=license.allocated");
    expect(log.body.activity[0].actor).toBe(`user ${staffEmail}`);
  });

  it("a viewer sees everything and no button that would change anything", async () => {
    const viewer = await accept(viewerLink, "Vera Viewer");
    const pool = viewer.getByRole("article").filter({ hasText: "Premium" });
    await pool.getByText("2 / 5").waitFor();
    expect(await viewer.getByRole("button", { name: "Allocate License" }).count()).toBe(0);
    expect(await viewer.getByRole("link", { name: "Buy capacity" }).count()).toBe(0);
    await pool.getByRole("button", { name: /Show clients/ }).click();
    await pool.getByRole("cell", { name: "Harbor Coffee", exact: true }).waitFor();
    expect(await pool.getByRole("button", { name: /Revoke/ }).count()).toBe(0);

    await goTo(viewer, "Clients");
    await viewer.getByRole("link", { name: "View Harbor Coffee" }).click();
    await viewer.getByRole("heading", { name: "Harbor Coffee", level: 1 }).waitFor();
    await viewer.getByRole("region", { name: "Details" }).getByText("Client name").waitFor();
    for (const name of ["Revoke license", "Suspend client", "Regenerate site key", "Save changes", "Offboard Harbor Coffee"])
      expect(await viewer.getByRole("button", { name }).count(), name).toBe(0);

    await goTo(viewer, "Clients");
    expect(await viewer.getByRole("button", { name: "Add client" }).count()).toBe(0);
    expect(await viewer.getByRole("button", { name: /More actions/ }).count()).toBe(0);

    await goTo(viewer, "Plans");
    await viewer.getByRole("heading", { name: "Premium 5" }).waitFor();
    expect(await viewer.getByRole("button", { name: /^Buy / }).count()).toBe(0);
  });

  it("the owner sees the new users with their roles, and changes a role", async () => {
    await page.reload();
    const users = page.getByRole("table", { name: "Users" });
    await users.getByRole("cell", { name: /^Sam Staff/ }).waitFor();
    expect(await page.getByRole("table", { name: "Pending invites" }).count()).toBe(0);
    await page.getByRole("button", { name: `Change role of ${viewerEmail}` }).click();
    const dialog = page.getByRole("dialog", { name: `Change the role of ${viewerEmail}` });
    await dialog.getByRole("radio", { name: /^Staff/ }).check();
    await dialog.getByRole("button", { name: "Change role" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByText(`${viewerEmail} is now staff`).waitFor();
    expect((await api("GET", "/api/v1/activity?action=user.role_changed")).body.activity).toHaveLength(1);
  });

  it("creates a read-only API key shown once, which reads but cannot write, and revokes it", async () => {
    await goTo(page, "Settings");
    await page.getByRole("button", { name: "Create API key" }).click();
    const dialog = page.getByRole("dialog", { name: "Create an API key" });
    await dialog.getByLabel("Name").fill("Reporting");
    await dialog.getByRole("radio", { name: /^Read only/ }).check();
    await dialog.getByRole("button", { name: "Create key" }).click();
    const reveal = page.getByRole("dialog", { name: "API key “Reporting” created" });
    const key = await reveal.getByTestId("api-key").inputValue();
    expect(key).toMatch(/^lp_live_/);
    await reveal.getByRole("button", { name: "I've copied the key" }).click();

    const keys = page.getByRole("table", { name: "API keys" });
    const row = keys.getByRole("row").filter({ hasText: "Reporting" });
    await row.getByText("Read only").waitFor();
    await row.getByText("Never").waitFor();
    expect(await page.content()).not.toContain(key);

    const script = client(server.url, key);
    expect((await script("GET", "/api/v1/pools")).status).toBe(200);
    expect((await script("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" })).status).toBe(403);
    await page.reload();
    await keys.getByRole("row").filter({ hasText: "Reporting" }).getByText("just now").waitFor();

    await page.getByRole("button", { name: "Revoke Reporting" }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke “Reporting”?" });
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await confirm.waitFor({ state: "detached" });
    await keys.getByRole("row").filter({ hasText: "Reporting" }).waitFor({ state: "detached" });
    expect((await script("GET", "/api/v1/pools")).status).toBe(401);
  });

  it("signs out everywhere: this browser and the owner's other browser both end up at sign-in", async () => {
    const laptop = await otherBrowser();
    await signIn(laptop, server.url, email, PASSWORD);
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    const dialog = page.getByRole("dialog", { name: "Sign out everywhere?" });
    await dialog.getByRole("button", { name: "Sign out everywhere" }).click();
    await page.getByRole("heading", { name: "Sign in to your dashboard" }).waitFor();
    await page.getByText("You signed out everywhere", { exact: false }).waitFor();
    await laptop.reload();
    await laptop.getByRole("heading", { name: "Sign in to your dashboard" }).waitFor();
  });

  it("logged no browser console errors", () => {
    expect(errors).toEqual([]);
    expect(otherErrors).toEqual([]);
  });
});
