import { type Kysely, sql, type Transaction } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runWithBeforeCommit } from "../src/db/transaction-hooks.js";
import { dialectsUnderTest } from "./helpers/dialects.js";
import { startServer, type TestServer } from "./helpers/world.js";

/**
 * The DB layer's "before commit" hook (src/db/transaction-hooks.ts), on the real handle (with its transaction-retry
 * wrapper): it runs inside the first outermost transaction of its scope that changed something, as part of the unit
 * that commits, rolls back and is retried.
 */
describe.each(await dialectsUnderTest())("before-commit hooks (%s)", (dialect) => {
  let server: TestServer;
  let db: Kysely<any>;

  beforeAll(async () => {
    server = await startServer(dialect);
    db = server.db as unknown as Kysely<any>;
    await sql`create table hook_probe (id integer primary key, what text not null)`.execute(db);
  }, 60_000);
  afterAll(() => server?.close());
  beforeEach(async () => {
    await sql`delete from hook_probe`.execute(db);
  });

  let nextId = 0;
  const put = (trx: Kysely<any>, what: string) => trx.insertInto("hook_probe").values({ id: ++nextId, what }).execute();
  const rows = async () =>
    (await db.selectFrom("hook_probe").select("what").orderBy("id").execute()).map((r) => r.what as string);
  /** A hook that writes a "mark" row through the transaction it is given, and counts its runs. */
  const marker = () => {
    const hook = async (trx: Transaction<any>) => {
      hook.runs += 1;
      await put(trx, "mark");
    };
    hook.runs = 0;
    return hook;
  };

  it("runs as the last statement of the transaction that changed something, and commits with it", async () => {
    const hook = marker();
    await runWithBeforeCommit(hook, () =>
      db.transaction().execute(async (trx) => {
        await put(trx, "op");
      }),
    );
    expect(hook.runs).toBe(1);
    expect(await rows()).toEqual(["op", "mark"]);
  });

  it("a transaction that only reads, or whose writes match no row, does not run it", async () => {
    const hook = marker();
    await runWithBeforeCommit(hook, async () => {
      await db.transaction().execute((trx) => trx.selectFrom("hook_probe").selectAll().execute());
      await db.transaction().execute((trx) => trx.updateTable("hook_probe").set({ what: "x" }).where("id", "=", -1).execute());
      await db.transaction().execute((trx) => trx.deleteFrom("hook_probe").where("id", "=", -1).returningAll().execute());
    });
    expect(hook.runs).toBe(0);
    expect(await rows()).toEqual([]);
  });

  it("an operation that throws rolls back without the hook; a hook that throws rolls the operation back", async () => {
    const hook = marker();
    await expect(
      runWithBeforeCommit(hook, () =>
        db.transaction().execute(async (trx) => {
          await put(trx, "op");
          throw new Error("refused");
        }),
      ),
    ).rejects.toThrow("refused");
    expect(hook.runs).toBe(0);

    const failing = async (trx: Transaction<any>) => {
      await put(trx, "mark");
      throw new Error("mark refused");
    };
    await expect(runWithBeforeCommit(failing, () => db.transaction().execute((trx) => put(trx, "op")))).rejects.toThrow(
      "mark refused",
    );
    expect(await rows()).toEqual([]);
  });

  it("is part of the retried unit: an attempt rolled back after the hook ran is retried whole, hook included", async () => {
    let attempts = 0;
    const flaky = async (trx: Transaction<any>) => {
      attempts += 1;
      await put(trx, "mark");
      // What a deadlock or SQLITE_BUSY at this point looks like to the retry wrapper.
      if (attempts === 1) throw Object.assign(new Error("busy"), { code: dialect === "sqlite" ? "SQLITE_BUSY" : "40001" });
    };
    await runWithBeforeCommit(flaky, () => db.transaction().execute((trx) => put(trx, "op")));
    expect(attempts).toBe(2);
    expect(await rows()).toEqual(["op", "mark"]);
  });

  it("runs once per scope: later transactions of the scope, and transactions outside it, do not run it", async () => {
    const hook = marker();
    await runWithBeforeCommit(hook, async () => {
      await db.transaction().execute((trx) => put(trx, "first"));
      await db.transaction().execute((trx) => put(trx, "second"));
    });
    await db.transaction().execute((trx) => put(trx, "outside"));
    expect(hook.runs).toBe(1);
    expect(await rows()).toEqual(["first", "mark", "second", "outside"]);
  });

  it("concurrent scopes each run their own hook in their own transaction", async () => {
    const hooks = Array.from({ length: 8 }, (_, i) => async (trx: Transaction<any>) => {
      await put(trx, `mark ${i}`);
    });
    await Promise.all(
      hooks.map((hook, i) =>
        runWithBeforeCommit(hook, async () => {
          await new Promise((r) => setTimeout(r, Math.random() * 20));
          await db.transaction().execute((trx) => put(trx, `op ${i}`));
        }),
      ),
    );
    const all = await rows();
    // Each mark directly follows its own operation (SQLite serialises the transactions; ids are assigned in order).
    if (dialect === "sqlite") for (let i = 0; i < 8; i++) expect(all[all.indexOf(`op ${i}`) + 1]).toBe(`mark ${i}`);
    expect(all.filter((w) => w.startsWith("mark")).sort()).toEqual(hooks.map((_, i) => `mark ${i}`).sort());
  });

  it.skipIf(dialect !== "postgres")(
    "runs in the operation's own transaction (same transaction id); a transaction opened inside another is not outermost (PostgreSQL only: SQLite exposes no transaction id)",
    async () => {
      const seen: { op?: string; hook?: string } = {};
      const hook = marker();
      await runWithBeforeCommit(
        async (trx) => {
          seen.hook = (await sql<{ x: string }>`select txid_current()::text as x`.execute(trx)).rows[0]?.x;
          await hook(trx);
        },
        () =>
          db.transaction().execute(async (trx) => {
            seen.op = (await sql<{ x: string }>`select txid_current()::text as x`.execute(trx)).rows[0]?.x;
            await put(trx, "op");
            // Another connection, opened from inside this transaction's callback.
            await db.transaction().execute((inner) => put(inner, "inner"));
          }),
      );
      expect(seen.hook).toBe(seen.op);
      expect(hook.runs).toBe(1);
      expect((await rows()).sort()).toEqual(["inner", "mark", "op"]);
    },
  );
});
