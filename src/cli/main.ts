#!/usr/bin/env node
import { Command } from "commander";
import { RESELLER_ROLES } from "../core/access.js";
import { createReseller, createSupportToken, createUser } from "../core/accounts.js";
import { AppError } from "../core/app-error.js";
import { checkInSettingsFromEnv } from "../core/check-in-settings.js";
import { resetPassword } from "../core/reset-password.js";
import { openKeyRing, rotateSigningKey } from "../core/signing.js";
import { DEFAULT_DATABASE_URL } from "../db/connect.js";
import { CopyRefused, copyDatabase } from "../db/copy.js";
import { openDatabase } from "../db/open.js";
import type { Db } from "../db/schema.js";
import { runAgentCli } from "./agent.js";
import { runFleet } from "./fleet.js";
import { serve } from "./serve.js";

const program = new Command("licensepool").description("licensepool server and admin commands (all use DATABASE_URL)");

/** Runs one admin action against a migrated database and closes it; errors print as one clear line. */
async function withDb(action: (db: Db) => Promise<void>): Promise<void> {
  const db = await openDatabase();
  try {
    await action(db);
  } finally {
    await db.destroy();
  }
}

program.command("serve").description("migrate, seed and serve the API and dashboard").action(serve);
program
  .command("migrate")
  .description("bring the database schema up to date and seed the catalog")
  .action(() => withDb(async () => console.log("database is up to date")));

const reseller = program.command("reseller").description("manage resellers");
reseller
  .command("create")
  .requiredOption("--name <name>", "reseller's display name")
  .requiredOption("--email <email>", "reseller's contact email")
  .option("--password <password>", "also create a dashboard login (the account's owner) with this password")
  .option("--json", "print JSON")
  .action((o: { name: string; email: string; password?: string; json?: boolean }) =>
    withDb(async (db) => {
      const created = await createReseller(db, {
        name: o.name,
        email: o.email,
        actor: "cli",
        ...(o.password ? { password: o.password } : {}),
      });
      if (o.json) console.log(JSON.stringify(created));
      else
        console.log(
          `Created reseller ${created.reseller.id} (${created.reseller.name}).\nAPI key (shown once): ${created.api_key}`,
        );
    }),
  );

const user = program.command("user").description("manage dashboard logins");
user
  .command("create")
  .description("a dashboard login for a reseller (with a role) or for support staff")
  .requiredOption("--email <email>", "login email")
  .requiredOption("--password <password>", "at least 10 characters")
  .option("--reseller <id>", "the reseller this user works for")
  .option("--role <role>", "with --reseller: owner (everything), staff (clients and licenses) or viewer (read only)", "owner")
  .option("--support", "a support-staff user (support console)")
  .option("--json", "print JSON")
  .action((o: { email: string; password: string; reseller?: string; role: string; support?: boolean; json?: boolean }) =>
    withDb(async (db) => {
      if (!o.support === !o.reseller) throw new AppError("validation_error", "give exactly one of --reseller <id> or --support");
      const resellerRole = RESELLER_ROLES.find((r) => r === o.role);
      if (!resellerRole) throw new AppError("validation_error", "--role must be owner, staff or viewer");
      const created = await createUser(db, {
        email: o.email,
        password: o.password,
        role: o.support ? "support" : "reseller",
        resellerId: o.reseller ?? null,
        resellerRole,
      });
      console.log(o.json ? JSON.stringify({ user: created }) : `Created user ${created.email}.`);
    }),
  );

user
  .command("password")
  .description("set a new password for a login that forgot its own; signs it out everywhere")
  .requiredOption("--email <email>", "login email")
  .requiredOption("--password <password>", "at least 10 characters")
  .action((o: { email: string; password: string }) =>
    withDb(async (db) => {
      await resetPassword(db, { email: o.email, password: o.password, actor: "operator (cli)" });
      console.log(`New password set for ${o.email.trim().toLowerCase()}; its sessions have ended.`);
    }),
  );

const support = program.command("support").description("support staff tools");
support
  .command("token")
  .description("support API tokens")
  .command("create")
  .option("--label <label>", "who or what the token is for (resellers see it in their activity log)", "vendor support")
  .option("--json", "print JSON")
  .action((o: { label: string; json?: boolean }) =>
    withDb(async (db) => {
      const { token } = await createSupportToken(db, o.label);
      console.log(o.json ? JSON.stringify({ token }) : `Support token (shown once): ${token}`);
    }),
  );

const keys = program.command("keys").description("check-in signing keys");
keys
  .command("rotate")
  .description("make a new signing key; the old one stays listed until every document it signed has expired")
  .option("--json", "print JSON")
  .action((o: { json?: boolean }) =>
    withDb(async (db) => {
      const rotated = await rotateSigningKey(db, "cli");
      console.log(
        o.json
          ? JSON.stringify(rotated)
          : `New signing key ${rotated.kid} signs from now on (running servers pick it up within 30 s).` +
              (rotated.previous_kid ? `\n${rotated.previous_kid} endorsed it and stays listed until its documents expire.` : ""),
      );
    }),
  );
keys
  .command("list")
  .description("the published key set (GET /api/plugin/v1/keys)")
  .action(() =>
    withDb(async (db) => {
      const ring = await openKeyRing(db, { listedForS: checkInSettingsFromEnv().graceS + 3600 });
      console.log(JSON.stringify(ring.keySet(), null, 2));
      ring.close();
    }),
  );

program
  .command("agent")
  .description("a long-lived simulated plugin that prints every change of status, tier or features")
  .requiredOption("--server <url>", "licensepool server, e.g. http://127.0.0.1:8080")
  .requiredOption("--site-key <key>", "the client's site key (lp_site_...)")
  .option("--state-dir <dir>", "where the last trusted document and pinned keys are kept (default data/agent/<key hash>)")
  .option("--site-url <url>", "this site's URL: documents for other sites are rejected")
  .option("--keys <file>", "pin these keys (a saved GET /api/plugin/v1/keys answer) instead of trusting on first use")
  .option("--interval <seconds>", "check in this often instead of the server's advice (about an hour)")
  .option("--plugin-version <version>", "reported to the server", "agent-1.0")
  .action(runAgentCli);

program
  .command("fleet")
  .description("onboard N sites and run one simulated plugin per site, with a live summary")
  .requiredOption("--server <url>", "licensepool server, e.g. http://127.0.0.1:8080")
  .requiredOption("--api-key <key>", "the reseller's API key")
  .requiredOption("--sites <n>", "how many sites")
  .option("--interval <seconds>", "seconds between a site's check-ins (default: sites/80, at least 5)")
  .option("--duration <seconds>", "stop after this long (default: until Ctrl-C)")
  .option("--no-purchase", "do not buy Premium 100 plans when the reseller lacks free slots")
  .action(runFleet);

const dbTools = program.command("db").description("database tools");
dbTools
  .command("copy")
  .description("copy a whole deployment to another database (e.g. SQLite to PostgreSQL), verifying row counts")
  .option("--from <url>", "source database (default: DATABASE_URL)", process.env.DATABASE_URL || DEFAULT_DATABASE_URL)
  .requiredOption("--to <url>", "target database, e.g. postgres://user@host:5432/licensepool")
  .option("--force", "replace whatever the target already holds")
  .option("--json", "print JSON")
  .action(async (o: { from: string; to: string; force?: boolean; json?: boolean }) => {
    const counts = await copyDatabase(o.from, o.to, {
      force: o.force ?? false,
      onTable: (table, rows) => o.json || console.log(`  ${table.padEnd(16)} ${String(rows).padStart(9)} rows`),
    });
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(o.json ? JSON.stringify({ copied: counts }) : `Copied ${total} rows; every table's count matches the source.`);
  });

program.parseAsync().catch((err: unknown) => {
  if (err instanceof AppError) console.error(`error: ${err.code}: ${err.message}`);
  else if (err instanceof CopyRefused) console.error(`error: ${err.message}`);
  // Unreachable servers and refused API calls (agent, fleet) are the user's to fix, not a bug: no stack trace.
  else if (err instanceof Error && (err.message === "fetch failed" || /^[\w .-]+: \d{3} /.test(err.message)))
    console.error(`error: ${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ""}`);
  else console.error(err);
  process.exit(1);
});
