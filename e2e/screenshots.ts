/**
 * `npm run screenshots`: builds the dashboard if stale, starts a server over a temporary SQLite database, seeds a
 * realistic reseller through the API, and writes PNGs of every page at desktop (1280x800) and phone (375 px) width
 * to docs/screenshots/.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { createReseller, createUser } from "../src/core/accounts.js";
import { createApiKey } from "../src/core/create-api-key.js";
import { client, makeSupport, startServer } from "../test/helpers/world.js";
import { ensureWebBuilt, launchChromium, newPage, PASSWORD, REPO, signIn, WEB_ROOT } from "./helpers.js";

const OUT = join(REPO, "docs/screenshots");

const CLIENTS = [
  ["Harbor Coffee Co.", "https://harborcoffee.com"],
  ["Maple & Main Dental", "https://mapleandmaindental.com"],
  ["Cedar Ridge Veterinary", "https://cedarridgevet.com"],
  ["Lumen Yoga Studio", "https://lumenyoga.studio"],
  ["Brightside Bakery", "https://brightsidebakery.co"],
  ["Atlas Legal Group", "https://www.atlaslegal.com"],
  ["Greenleaf Landscaping", "https://greenleaf-landscaping.com"],
  ["Summit Physical Therapy", "https://summitpt.clinic"],
  ["Bluewater Marina", "https://bluewatermarina.com"],
  ["Oakwood Realty", "https://oakwoodrealty.com"],
  ["Copper Kettle Bistro", "https://copperkettlebistro.com"],
  ["Northstar Accounting", "https://northstaraccounting.com/portal"],
  ["Riverbend Books", "https://riverbendbooks.com"],
] as const;

async function main(): Promise<void> {
  ensureWebBuilt();
  mkdirSync(OUT, { recursive: true });
  const server = await startServer("sqlite", { webRoot: WEB_ROOT });
  const browser = await launchChromium();
  try {
    const world = await seed(server.url, server.db);
    const shots = new Shooter(server.url);

    for (const [suffix, size] of [
      ["desktop", { width: 1280, height: 800 }],
      ["mobile", { width: 375, height: 812 }],
    ] as const) {
      const { context, page, errors } = await newPage(browser, size);
      await page.goto(`${server.url}/`);
      await page.getByRole("button", { name: "Sign in" }).waitFor();
      await shots.take(page, `signin-${suffix}`);

      await signIn(page, server.url, world.email, PASSWORD);
      await page.locator(".pool-card").first().waitFor();
      await shots.take(page, `licenses-${suffix}`, true);

      const topUp = page.getByRole("article", { name: "Premium top-up +5 pool" });
      await topUp.getByRole("button", { name: /Show clients/ }).click();
      await topUp.getByRole("table").waitFor();
      await shots.take(page, `licenses-expanded-${suffix}`, true);

      await topUp
        .getByRole("button", { name: /^Revoke license of/ })
        .first()
        .click();
      await page.getByRole("dialog").waitFor();
      await shots.take(page, `revoke-modal-${suffix}`);
      await page.keyboard.press("Escape");

      const full = page.getByRole("article", { name: "Premium 5 #1 pool" });
      await full.scrollIntoViewIfNeeded();
      await shots.element(full, `full-pool-${suffix}`);

      await page.getByRole("article", { name: "Business 10 pool" }).getByRole("button", { name: "Allocate License" }).click();
      await page.getByRole("dialog").getByRole("radio").first().waitFor();
      await page.getByRole("dialog").getByRole("radio").first().check();
      await shots.take(page, `allocate-modal-${suffix}`);
      await page.keyboard.press("Escape");

      await page.goto(`${server.url}/clients`);
      await page.getByRole("table").waitFor();
      await shots.take(page, `clients-${suffix}`, true);
      await page.getByRole("button", { name: "More actions for Summit Physical Therapy" }).click();
      await page.getByRole("menu").waitFor();
      await shots.take(page, `clients-menu-${suffix}`);
      await page.keyboard.press("Escape");

      await page.goto(`${server.url}/clients/${world.clientIds[0]}`);
      await page.getByRole("heading", { name: "Recent activity" }).waitFor();
      await page.locator(".mini-log__item").first().waitFor();
      await shots.take(page, `client-detail-${suffix}`, true);
      await page.getByRole("button", { name: "Change license or pool" }).click();
      await page.getByRole("dialog").getByRole("radio").first().waitFor();
      await shots.take(page, `reissue-modal-${suffix}`);
      await page.keyboard.press("Escape");

      await page.goto(`${server.url}/clients?add=1`);
      await page.getByRole("dialog").getByLabel("Client name").fill(`Willow Creek Florist ${suffix}`);
      await page.getByRole("dialog").getByLabel("Site URL").fill(`willowcreekflorist-${suffix}.com`);
      await page.getByRole("radio", { name: /Business 10/ }).check();
      await shots.take(page, `add-client-${suffix}`);
      await page.getByRole("dialog").getByRole("button", { name: "Add client" }).click();
      await page.getByTestId("site-key").waitFor();
      await shots.take(page, `site-key-${suffix}`);
      await page.getByRole("button", { name: "I've copied the key" }).click();

      await page.goto(`${server.url}/plans`);
      await page.locator(".plan-card").first().waitFor();
      await page.getByRole("table").waitFor();
      await shots.take(page, `plans-${suffix}`, true);

      await page.goto(`${server.url}/activity`);
      await page.locator(".log__item").first().waitFor();
      await shots.take(page, `activity-${suffix}`, true);

      await page.goto(`${server.url}/settings`);
      await page.getByTestId("api-key-prefix").first().waitFor();
      await shots.take(page, `settings-${suffix}`, true);
      await page.getByRole("button", { name: "Rotate API key" }).click();
      await page.getByRole("dialog", { name: "Rotate your API key?" }).waitFor();
      await shots.take(page, `rotate-key-modal-${suffix}`);
      await page.getByRole("dialog").getByRole("button", { name: "Rotate API key" }).click();
      await page.getByTestId("api-key").waitFor();
      await shots.take(page, `api-key-${suffix}`);
      await page.getByRole("button", { name: "I've copied the key" }).click();

      await page.goto(`${server.url}/users`);
      await page.getByRole("table", { name: "Users" }).waitFor();
      await shots.take(page, `users-${suffix}`, true);
      await page.getByRole("button", { name: "Invite user" }).click();
      await page.getByRole("dialog").getByLabel("Email").fill(`new.hire-${suffix}@northwindweb.example`);
      await shots.take(page, `invite-user-${suffix}`);
      await page.getByRole("dialog").getByRole("button", { name: "Create invite link" }).click();
      const inviteLink = await page.getByTestId("invite-url").inputValue();
      await shots.take(page, `invite-link-${suffix}`);
      await page.getByRole("button", { name: "Done" }).click();

      await page.goto(`${server.url}/support`);
      await page.getByRole("heading", { name: "This page is for support staff" }).waitFor();
      if (suffix === "desktop") await shots.take(page, "support-staff-only-desktop");

      if (suffix === "mobile") await page.getByRole("button", { name: "Show account menu" }).click();
      await page.getByRole("button", { name: "Sign out", exact: true }).click();
      await page.getByRole("button", { name: "Sign in" }).waitFor();
      await page.goto(inviteLink);
      await page.getByRole("heading", { name: "Join Northwind Web Studio" }).waitFor();
      await shots.take(page, `accept-invite-${suffix}`);
      if (suffix === "desktop") {
        // A brand-new reseller: the empty states.
        await signIn(page, server.url, world.newcomerEmail, PASSWORD);
        await page.getByRole("heading", { name: "No license pools yet" }).waitFor();
        await shots.take(page, "licenses-empty-desktop");
        await page.goto(`${server.url}/clients`);
        await page.getByRole("heading", { name: "No clients yet" }).waitFor();
        await shots.take(page, "clients-empty-desktop");
        await page.getByRole("button", { name: "Sign out", exact: true }).click();
        await page.getByRole("button", { name: "Sign in" }).waitFor();
      }
      await signIn(page, server.url, world.supportEmail, PASSWORD);
      await page.getByRole("heading", { name: "Support console" }).waitFor();
      await page.locator(".reseller").first().waitFor();
      await shots.take(page, `support-${suffix}`, true);
      await page.getByRole("tab", { name: "Decided" }).click();
      await page.getByRole("table", { name: "Decided pool-size requests" }).waitFor();
      await shots.take(page, `support-decided-${suffix}`);
      await page.getByRole("tab", { name: /Pending/ }).click();
      await page.getByRole("button", { name: "Grant a pool to Bluebird Digital" }).click();
      await page.getByRole("dialog").waitFor();
      await shots.take(page, `support-grant-${suffix}`);
      await page.keyboard.press("Escape");
      await page.getByRole("button", { name: /^Approve request from/ }).click();
      await page.getByRole("dialog").waitFor();
      await shots.take(page, `support-approve-${suffix}`);
      await page.keyboard.press("Escape");

      if (errors.length) throw new Error(`browser console errors:\n${errors.join("\n")}`);
      await context.close();
    }
    console.log(`wrote ${shots.count} screenshots to ${OUT}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

class Shooter {
  count = 0;
  constructor(readonly baseUrl: string) {}

  async take(page: Page, name: string, fullPage = false): Promise<void> {
    await page.evaluate("document.fonts.ready.then(() => true)");
    await page.screenshot({ path: join(OUT, `${name}.png`), fullPage, animations: "disabled" });
    this.count += 1;
  }

  async element(locator: ReturnType<Page["locator"]>, name: string): Promise<void> {
    await locator.screenshot({ path: join(OUT, `${name}.png`), animations: "disabled" });
    this.count += 1;
  }
}

/** A reseller with three pools (one full, one nearly full), 13 clients, check-ins, suspensions, a pending request. */
async function seed(baseUrl: string, db: Parameters<typeof createReseller>[0]) {
  const email = "studio@northwindweb.example";
  const { reseller, api_key } = await createReseller(db, { name: "Northwind Web Studio", email, actor: "system" });
  await createUser(db, { email, password: PASSWORD, role: "reseller", resellerId: reseller.id });
  // The team: an owner (above), staff and a viewer; a second, read-only API key for a reporting script.
  for (const [who, name, resellerRole] of [
    ["maya@northwindweb.example", "Maya Chen", "staff"],
    ["accounts@northwindweb.example", "Accounts", "viewer"],
  ] as const)
    await createUser(db, { email: who, password: PASSWORD, role: "reseller", resellerId: reseller.id, resellerRole, name });
  await createApiKey(db, { resellerId: reseller.id, actor: `user ${email}` }, { name: "Nightly report", scope: "read" });
  const support = await makeSupport(db, { password: PASSWORD });
  const other = await createReseller(db, { name: "Bluebird Digital", email: "ops@bluebird.example", actor: "system" });
  const newcomerEmail = "hello@freshstart.example";
  const newcomer = await createReseller(db, { name: "Fresh Start Agency", email: newcomerEmail, actor: "system" });
  await createUser(db, { email: newcomerEmail, password: PASSWORD, role: "reseller", resellerId: newcomer.reseller.id });
  const api = client(baseUrl, api_key);
  const must = async <T>(p: Promise<{ status: number; body: T }>): Promise<T> => {
    const res = await p;
    if (res.status >= 300) throw new Error(`seed call failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  const business = (await must(api("POST", "/api/v1/purchases", { plan_id: "plan_business_10" }))).pool.id as string;
  const premium = (await must(api("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" }))).pool.id as string;
  const topUp = (await must(api("POST", "/api/v1/purchases", { plan_id: "topup_premium_5" }))).pool.id as string;
  // A second Premium 5, bought later: the two are told apart as #1 and #2.
  await must(api("POST", "/api/v1/purchases", { plan_id: "plan_premium_5" }));
  const otherApi = client(baseUrl, other.api_key);
  const otherPool = (await must(otherApi("POST", "/api/v1/purchases", { plan_id: "plan_premium_25" }))).pool.id as string;
  const supportApi = client(baseUrl, support.token);
  await must(
    supportApi("POST", `/api/support/v1/resellers/${other.reseller.id}/pools`, {
      license_type: "business",
      total: 3,
      reason: "Migration from the legacy reseller program",
    }),
  );

  // Premium 5: full. Top-up: 4 of 5 (nearly full). Business 10: 2 of 10. Two clients without a license.
  const plan = [premium, premium, premium, premium, premium, topUp, topUp, topUp, topUp, business, business, null, null];
  const clientIds: string[] = [];
  const keys: string[] = [];
  for (const [i, [name, site]] of CLIENTS.entries()) {
    const created = await must(api("POST", "/api/v1/clients", { name, site_url: site, pool_id: plan[i] }));
    clientIds.push(created.client.id);
    keys.push(created.site_key);
  }
  // Most plugins have checked in; three never have.
  for (const [i, key] of keys.entries()) {
    if (i === 4 || i === 8 || i === 12) continue;
    const res = await fetch(`${baseUrl}/api/plugin/v1/check-in`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ plugin_version: i % 3 === 0 ? "4.2.0" : "4.1.3" }),
    });
    if (!res.ok) throw new Error(`check-in failed: ${res.status}`);
  }
  await must(api("POST", `/api/v1/clients/${clientIds[7]}/suspend`));
  await must(api("POST", `/api/v1/clients/${clientIds[11]}/suspend`));
  await must(api("PATCH", `/api/v1/clients/${clientIds[0]}`, { name: "Harbor Coffee Roasters" }));
  await must(api("POST", `/api/v1/clients/${clientIds[0]}/site-key`));
  // Decided requests: one approved (the pool was resized), one declined.
  const approved = await must(otherApi("POST", "/api/v1/pool-requests", { pool_id: otherPool, requested_total: 30, note: "" }));
  await must(
    supportApi("POST", `/api/support/v1/pool-requests/${approved.pool_request.id}/approve`, {
      reason: "Goodwill for the spring campaign",
    }),
  );
  const declined = await must(
    api("POST", "/api/v1/pool-requests", { pool_id: business, requested_total: 40, note: "Launching a hosting bundle." }),
  );
  await must(
    supportApi("POST", `/api/support/v1/pool-requests/${declined.pool_request.id}/decline`, {
      reason: "Please buy a Business 50 plan instead.",
    }),
  );
  await must(
    api("POST", "/api/v1/pool-requests", {
      pool_id: premium,
      requested_total: 10,
      note: "Five more cafés from the Harbor group sign on next month.",
    }),
  );
  return { email, newcomerEmail, supportEmail: support.email, clientIds };
}

await main();
