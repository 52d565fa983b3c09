import type { DemoCredentials } from "../core/demo.js";
import { ensureDemo } from "../core/demo.js";
import { openDatabase } from "../db/open.js";
import { buildApp } from "../server/app.js";

export async function serve(): Promise<void> {
  const port = Number(process.env.PORT ?? 8080);
  const host = process.env.HOST ?? "127.0.0.1";
  const db = await openDatabase();
  const demo = await ensureDemo(db);
  const app = await buildApp({ db, logger: process.env.LOG_LEVEL !== "silent", trustProxy: process.env.TRUST_PROXY === "1" });
  const close = async () => {
    await app.close();
    await db.destroy();
    process.exit(0);
  };
  process.once("SIGINT", close);
  process.once("SIGTERM", close);
  await app.listen({ port, host });
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  if (demo) printDemo(url, demo);
  console.log(`licensepool is listening on ${url}  (dashboard: ${url}/, health: ${url}/healthz)`);
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
