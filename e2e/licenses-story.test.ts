import type { Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import type { Call, TestServer } from "../test/helpers/world.js";
import { browserSuite, describeInBrowser } from "./browser-suite.js";
import { goTo, PASSWORD, signIn } from "./helpers.js";

/** The seed's whole story, through the dashboard: buy, onboard, allocate, revoke, fill up, buy more. */
describeInBrowser("licenses story", () => {
  let server: TestServer;
  let page: Page;
  let errors: string[];
  let api: Call;
  let email: string;
  const suite = browserSuite();

  beforeAll(async () => {
    ({ server, page, errors, api, email } = await suite.open());
  });

  const card = (name: string) => page.getByRole("article", { name: `${name} pool` });
  const clientByName = async (name: string) => {
    const { body } = await api("GET", `/api/v1/clients?q=${encodeURIComponent(name)}`);
    return body.clients[0];
  };

  it("signs in and starts with an empty Licenses page", async () => {
    await signIn(page, server.url, email, PASSWORD);
    await page.getByRole("heading", { name: "Licenses", level: 1 }).waitFor();
    await page.getByRole("heading", { name: "No license pools yet" }).waitFor();
  });

  it("purchases a plan after confirming, and the new pool appears on the Licenses page", async () => {
    await goTo(page, "Plans");
    await page.getByRole("button", { name: "Buy Premium 5" }).click();
    const dialog = page.getByRole("dialog", { name: "Buy Premium 5?" });
    await dialog.waitFor();
    expect((await api("GET", "/api/v1/pools")).body.pools).toHaveLength(0);
    await dialog.getByRole("button", { name: "Buy for $245" }).click();

    const pool = card("Premium 5");
    await pool.waitFor();
    expect(new URL(page.url()).pathname).toBe("/licenses");
    await pool.getByText("New", { exact: true }).waitFor();
    await pool.getByText("0 / 5").waitFor();
    const bar = pool.getByRole("progressbar");
    expect(await bar.getAttribute("aria-valuenow")).toBe("0");
    expect(await bar.getAttribute("aria-valuemax")).toBe("5");
    expect(await bar.getAttribute("aria-label")).toContain("Premium 5");
    // One clean origin line: how the pool came to be and when, without repeating the plan name.
    await pool.getByText(/^Plan purchase · [A-Z][a-z]{2} \d{1,2}, \d{4}$/).waitFor();
    expect(await pool.getByText("Premium 5", { exact: true }).count()).toBe(1);
  });

  it("adds a client with a pool and shows its site key exactly once", async () => {
    await goTo(page, "Clients");
    await page.getByRole("heading", { name: "No clients yet" }).waitFor();
    await page.getByRole("button", { name: "Add client" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a client" });
    await dialog.getByLabel("Client name").fill("Harbor Coffee Roasters");
    await dialog.getByLabel("Site URL").fill("https://harborcoffee.com");
    await dialog.getByRole("radio", { name: /Premium 5/ }).check();
    await dialog.getByRole("button", { name: "Add client" }).click();

    const keyBox = page.getByTestId("site-key");
    await keyBox.waitFor();
    const siteKey = await keyBox.inputValue();
    expect(siteKey).toMatch(/^lp_site_/);
    await page.getByText("It is shown only once.", { exact: false }).waitFor();
    await page.getByText("Settings → License").waitFor();
    await page.getByRole("button", { name: "Copy key" }).waitFor();
    await page.getByRole("button", { name: "I've copied the key" }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });

    await page.getByRole("link", { name: "Harbor Coffee Roasters", exact: true }).waitFor();
    expect(await page.content()).not.toContain(siteKey);
    const created = await clientByName("Harbor Coffee Roasters");
    expect(created.license.license_type).toBe("premium");

    // A second client, without a license for now, to allocate from the Licenses page.
    await page.getByRole("button", { name: "Add client" }).click();
    const second = page.getByRole("dialog", { name: "Add a client" });
    await second.getByLabel("Client name").fill("Cedar Ridge Veterinary");
    await second.getByLabel("Site URL").fill("https://cedarridgevet.com");
    await second.getByRole("radio", { name: /No license for now/ }).check();
    await second.getByRole("button", { name: "Add client" }).click();
    await page.getByTestId("site-key").waitFor();
    await page.getByRole("button", { name: "I've copied the key" }).click();
    await page.getByRole("link", { name: "Cedar Ridge Veterinary", exact: true }).waitFor();
    expect((await clientByName("Cedar Ridge Veterinary")).license).toBeNull();
  });

  it("allocates from the Licenses page through the modal; counts update without a reload", async () => {
    await goTo(page, "Licenses");
    const pool = card("Premium 5");
    await pool.getByText("1 / 5").waitFor();

    // The dialog traps focus, closes on Esc, and hands focus back to the button that opened it.
    const allocate = pool.getByRole("button", { name: "Allocate License" });
    await allocate.click();
    const dialog = page.getByRole("dialog", { name: "Allocate a Premium 5 license" });
    await dialog.waitFor();
    expect(await page.evaluate("document.activeElement?.id")).toBe("allocate-search");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await page.evaluate("document.activeElement?.textContent")).toBe("Allocate License");

    await allocate.click();
    await dialog.getByLabel("Find a client").fill("cedar");
    await dialog.getByRole("radio", { name: /Cedar Ridge Veterinary/ }).check();
    // Only clients without a license are offered.
    expect(await dialog.getByRole("radio", { name: /Harbor Coffee/ }).count()).toBe(0);
    const navigations: string[] = [];
    page.on("framenavigated", (frame) => navigations.push(frame.url()));
    // The allocation answers with the pool's new counts: the pool list is not read again.
    const poolReads: string[] = [];
    const onRequest = (req: { method(): string; url(): string }) => {
      if (req.method() === "GET" && new URL(req.url()).pathname === "/api/v1/pools") poolReads.push(req.url());
    };
    page.on("request", onRequest);
    await dialog.getByRole("button", { name: "Allocate to Cedar Ridge Veterinary" }).click();
    await dialog.waitFor({ state: "detached" });

    await pool.getByText("2 / 5").waitFor();
    await pool.getByText("will pick the license up on its next check-in", { exact: false }).waitFor();
    page.off("request", onRequest);
    expect(navigations).toEqual([]);
    expect(poolReads).toEqual([]);
    expect((await clientByName("Cedar Ridge Veterinary")).license.license_type).toBe("premium");
  });

  it("revokes through the confirmation modal, and nothing changes before confirming", async () => {
    const pool = card("Premium 5");
    await pool.getByRole("button", { name: "Show clients (2)" }).click();
    await pool.getByRole("table").waitFor();
    await pool.getByRole("button", { name: "Revoke license of Cedar Ridge Veterinary" }).click();

    const dialog = page.getByRole("dialog", { name: "Revoke Cedar Ridge Veterinary's license?" });
    await dialog.waitFor();
    const text = (await dialog.textContent()) ?? "";
    expect(text).toContain("Cedar Ridge Veterinary");
    expect(text).toContain("cedarridgevet.com");
    expect(text).toContain("free tier");
    expect(text).toContain("firewall rules");
    expect(text).toContain("malware signatures");
    expect(text).toContain("threat-intelligence");
    expect(text).toContain("site keeps running");
    await dialog.getByRole("button", { name: "Suspend instead" }).waitFor();

    // Nothing has happened yet.
    expect((await clientByName("Cedar Ridge Veterinary")).license).not.toBeNull();
    expect(await pool.getByText("2 / 5").count()).toBe(1);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect((await clientByName("Cedar Ridge Veterinary")).license).not.toBeNull();

    await pool.getByRole("button", { name: "Revoke license of Cedar Ridge Veterinary" }).click();
    await dialog.getByRole("button", { name: "Revoke license" }).click();
    await dialog.waitFor({ state: "detached" });
    await pool.getByText("1 / 5").waitFor();
    await pool.getByText("License revoked from Cedar Ridge Veterinary.").waitFor();
    // One confirmation, not two: the card says it, no toast repeats it.
    expect(
      await page
        .getByRole("region", { name: "Notifications" })
        .getByText(/revoked/)
        .count(),
    ).toBe(0);
    await pool.getByRole("button", { name: "Revoke license of Cedar Ridge Veterinary" }).waitFor({ state: "detached" });
    expect((await clientByName("Cedar Ridge Veterinary")).license).toBeNull();
  });

  it("shows a full pool plainly: Allocate disabled with the reason, and the three ways out", async () => {
    const { body } = await api("GET", "/api/v1/pools");
    const poolId = body.pools[0].id;
    for (const n of [1, 2, 3, 4]) {
      const res = await api("POST", "/api/v1/clients", {
        name: `Filler site ${n}`,
        site_url: `https://filler${n}.example.com`,
        pool_id: poolId,
      });
      expect(res.status).toBe(201);
    }
    await page.reload();
    const pool = card("Premium 5");
    await pool.getByText("5 / 5").waitFor();
    await pool.getByText("Full", { exact: true }).waitFor();
    expect(await pool.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("5");
    const allocate = pool.getByRole("button", { name: "Allocate License" });
    expect(await allocate.isDisabled()).toBe(true);
    await pool.getByText("Can't allocate: the pool is full.").waitFor();
    await pool.getByText("Revoke a churned client's license").waitFor();
    await pool.getByText("Buy more capacity").waitFor();
    await pool.getByText("Ask support to resize this pool").waitFor();
    await pool.getByRole("button", { name: "Request size change" }).waitFor();

    // Way out 1 expands the card to the clients holding its slots.
    await pool.getByRole("button", { name: "Show clients", exact: true }).click();
    await pool.getByRole("button", { name: "Revoke license of Harbor Coffee Roasters" }).waitFor();
  });

  it("buys more capacity from the full pool's link, and the new pool card appears", async () => {
    await card("Premium 5").getByRole("link", { name: "See plans" }).click();
    await page.getByRole("heading", { name: "Plans", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Buy Business 10" }).click();
    await page.getByRole("dialog", { name: "Buy Business 10?" }).getByRole("button", { name: "Buy for $790" }).click();
    const pool = card("Business 10");
    await pool.waitFor();
    await pool.getByText("0 / 10").waitFor();
    await pool.getByText("New", { exact: true }).waitFor();
    expect(await pool.getByRole("button", { name: "Allocate License" }).isDisabled()).toBe(false);
    await card("Premium 5").getByText("5 / 5").waitFor();
  });

  it("logged no browser console errors", () => {
    expect(errors).toEqual([]);
  });
});
