import type { FastifyInstance } from "fastify";
import type { DemoCredentials } from "../core/demo.js";
import { ensureDemo } from "../core/demo.js";
import { openDatabase } from "../db/open.js";
import type { Db } from "../db/schema.js";
import { intFrom } from "../db/settings.js";
import { buildApp } from "../server/app.js";

export async function serve(): Promise<void> {
  const port = Number(process.env.PORT ?? 8080);
  const host = process.env.HOST ?? "127.0.0.1";
  const shutdownTimeoutMs = intFrom(process.env, "SHUTDOWN_TIMEOUT_MS", 10_000, 0);
  const db = await openDatabase();
  const app = await buildApp({ db, logger: process.env.LOG_LEVEL !== "silent", trustProxy: process.env.TRUST_PROXY === "1" });
  stopOnSignals(app, db, shutdownTimeoutMs);
  try {
    await app.listen({ port, host });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
    console.error(
      `licensepool: port ${port} on ${host} is already in use. Start it on another one, e.g. PORT=${port + 1} npm start`,
    );
    await app.close();
    await db.destroy();
    process.exit(1);
  }
  // Only once the server listens: the demo's one-time secrets must reach a screen, not be made and lost by a failed start.
  const demo = await ensureDemo(db);
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  if (demo) printDemo(url, demo);
  console.log(`licensepool is listening on ${url}  (dashboard: ${url}/, health: ${url}/healthz)`);
}

/**
 * Graceful stop on SIGTERM or SIGINT: stop accepting connections, let the requests already in flight finish and get
 * their answers (for at most `timeoutMs`; after that their connections are cut and whatever they had not committed
 * rolls back), write the last batch of check-ins, close the database, exit 0 (1 if anything had to be cut or failed).
 * A second signal while stopping exits at once.
 */
function stopOnSignals(app: FastifyInstance, db: Db, timeoutMs: number): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`licensepool: ${signal} again while stopping; exiting now`);
      process.exit(1);
    }
    stopping = true;
    const started = Date.now();
    let code = 0;
    let outcome = "in-flight requests finished";
    const cut = setTimeout(() => {
      code = 1;
      outcome = `requests still running after SHUTDOWN_TIMEOUT_MS=${timeoutMs} were cut off`;
      app.server.closeAllConnections();
    }, timeoutMs);
    // Last resort, should closing itself hang (a flush stuck on a locked database): never outlive the bound by much.
    const giveUp = setTimeout(() => {
      console.error(`licensepool: stopping on ${signal} did not finish in ${timeoutMs + 5000} ms; exiting`);
      process.exit(1);
    }, timeoutMs + 5000);
    try {
      await app.close(); // stops listening, waits for in-flight requests, then flushes check-ins (onClose)
    } catch (err) {
      code = 1;
      outcome = `closing the server failed: ${String(err)}`;
    }
    clearTimeout(cut);
    try {
      await db.destroy();
    } catch (err) {
      code = 1;
      outcome += `; closing the database failed: ${String(err)}`;
    }
    clearTimeout(giveUp);
    console.log(`licensepool stopped on ${signal} in ${Date.now() - started} ms: ${outcome}, database closed`);
    process.exit(code);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

function printDemo(url: string, demo: DemoCredentials): void {
  console.log(
    [
      "",
      "  Empty database: created a demo reseller. These secrets are shown once; only their hashes are stored.",
      `    Dashboard         ${url}/`,
      `    Reseller login    ${demo.reseller_login.email} / ${demo.reseller_login.password}`,
      `    Support login     ${demo.support_login.email} / ${demo.support_login.password}`,
      `    Reseller API key  ${demo.api_key}`,
      `    Try it:           curl -H "Authorization: Bearer ${demo.api_key}" ${url}/api/v1/plans`,
      "",
    ].join("\n"),
  );
}
