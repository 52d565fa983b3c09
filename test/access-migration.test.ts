import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Kysely, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessSettingsFromEnv } from "../src/core/access-settings.js";
import { authenticateApiKey, login } from "../src/core/auth.js";
import { hashSecret } from "../src/core/ids.js";
import { hashPassword } from "../src/core/passwords.js";
import { connect } from "../src/db/connect.js";
import { migrate, migrateTo } from "../src/db/migrations.js";
import type { Db } from "../src/db/schema.js";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { PG_ADMIN_URL } from "./helpers/world.js";

async function pgAdmin(query: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(query);
  await admin.end();
}

/** A deployment from before migration 0003 (one API key per reseller, users without roles), upgraded in place. */
describe.each(await dialectsUnderTest())("migration 0003_access on %s", (dialect) => {
  let db: Db;
  let drop: () => Promise<void>;
  const oldKey = "lp_live_legacy-key-from-before-0003-abcdef";

  beforeAll(async () => {
    let url: string;
    if (dialect === "sqlite") {
      const dir = mkdtempSync(join(tmpdir(), "licensepool-m3-"));
      url = `sqlite:${join(dir, "old.db")}`;
      drop = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const name = `lp_m3_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      await pgAdmin(`create database ${name}`);
      const u = new URL(PG_ADMIN_URL);
      u.pathname = `/${name}`;
      url = u.toString();
      drop = () => pgAdmin(`drop database if exists ${name} with (force)`);
    }
    db = connect(url);
    const raw = db as unknown as Kysely<unknown>;
    await migrateTo(raw, "0002_license_documents");
    const at = "2024-01-02T03:04:05.000Z";
    await sql`insert into resellers (id, name, email, api_key_hash, api_key_prefix, search_text, created_at)
      values ('res_old', 'Old Agency', 'old@example.com', ${hashSecret(oldKey)}, ${oldKey.slice(0, 12)}, 'old', ${at})`.execute(
      raw,
    );
    await sql`insert into users (id, email, password_hash, role, reseller_id, created_at)
      values ('usr_old', 'old@example.com', ${await hashPassword("old password 123")}, 'reseller', 'res_old', ${at}),
             ('usr_sup', 'sup@example.com', ${await hashPassword("old password 123")}, 'support', null, ${at})`.execute(raw);
    await migrate(raw);
  });
  afterAll(async () => {
    await db?.destroy();
    await drop?.();
  });

  it("moves each reseller's key into api_keys as a read-write key that still works", async () => {
    const keys = await db.selectFrom("api_keys").selectAll().execute();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({
      reseller_id: "res_old",
      prefix: oldKey.slice(0, 12),
      hash: hashSecret(oldKey),
      scope: "read_write",
      revoked_at: null,
      created_at: "2024-01-02T03:04:05.000Z",
    });
    const ctx = await authenticateApiKey(db, oldKey);
    expect(ctx).toMatchObject({ resellerId: "res_old", role: "staff", actor: `api-key ${oldKey.slice(0, 12)}` });
  });

  it("blanks the legacy key columns: nothing secret-derived is left on resellers", async () => {
    const r = await db.selectFrom("resellers").selectAll().where("id", "=", "res_old").executeTakeFirstOrThrow();
    expect(r.api_key_hash).toBe("unused:res_old");
    expect(r.api_key_prefix).toBe("");
  });

  it("makes existing reseller users owners and leaves support users without a reseller role", async () => {
    const users = await db.selectFrom("users").select(["id", "reseller_role"]).orderBy("id").execute();
    expect(users).toEqual([
      { id: "usr_old", reseller_role: "owner" },
      { id: "usr_sup", reseller_role: null },
    ]);
    const session = await login(db, accessSettingsFromEnv({}), {
      email: "old@example.com",
      password: "old password 123",
      ip: "127.0.0.1",
    });
    expect(session.token).toMatch(/^lp_sess_/);
  });
});
