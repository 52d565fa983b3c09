import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browser } from "./helpers/browser.js";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { makeReseller, startServer, type TestServer } from "./helpers/world.js";

/**
 * A request whose headers arrive while its key is good, and whose body arrives after the key was revoked, must not
 * act: credentials are checked again once the body is in. (Found by an adversarial pass: a revoked key bought a plan
 * 70 s after its revocation by trickling the body.)
 */
const PASSWORD = "correct horse battery";

describe.each(await dialectsUnderTest())("a body that arrives after the revocation (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(dialect);
  });
  afterAll(() => server.close());

  /** Sends the headers and the first byte of the body; `finish()` sends the rest and resolves with the status line. */
  function openSlowPost(path: string, token: string, body: string) {
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    let answer = "";
    socket.on("data", (d) => {
      answer += d.toString();
    });
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 1)}`,
    );
    return {
      async finish() {
        socket.write(body.slice(1)); // not end(): a half-closed socket may be dropped before it is answered
        await closed;
        return Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1]);
      },
    };
  }

  it("refuses a purchase whose key was revoked while its body was on the way, and buys nothing", async () => {
    const r = await makeReseller(server.db, { password: PASSWORD });
    const owner = browser(server.url);
    expect((await owner.signIn(r.email, PASSWORD)).status).toBe(200);
    const made = await owner("POST", "/api/v1/api-keys", { name: "doomed", scope: "read_write" });
    const doomedKey: string = made.body.api_key;
    expect(doomedKey).toBeTruthy();
    const slow = openSlowPost("/api/v1/purchases", doomedKey, JSON.stringify({ plan_id: "plan_premium_5" }));
    await new Promise((res) => setTimeout(res, 300)); // the headers are in and checked
    const revoked = await owner("DELETE", `/api/v1/api-keys/${made.body.key.id}`);
    expect(revoked.status).toBe(200);
    expect(await slow.finish()).toBe(401);
    const pools = await server.db.selectFrom("pools").select("id").where("reseller_id", "=", r.reseller.id).execute();
    expect(pools).toHaveLength(0);
  });
});
