import type { Kysely } from "kysely";
import { hookedAttempt } from "./transaction-hooks.js";

/**
 * Errors after which the whole transaction may simply run again: it was rolled back and nothing was committed.
 * PostgreSQL: serialization_failure (40001) and deadlock_detected (40P01); SQLite: a write lock still held by another
 * process when busy_timeout ran out. Anything else (constraint violations, AppErrors) is an answer, not a hiccup.
 */
export function isRetryableTransactionError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === "40001" || code === "40P01" || code === "SQLITE_BUSY";
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Makes every `db.transaction().execute(fn)` on this handle retry `fn` from the start on a retryable error, with
 * jittered exponential backoff, so core operations stay plain transactions and the retry policy lives in one place.
 * Safe because a core operation's callback only talks to the database: a rolled-back attempt leaves no trace.
 *
 * It also runs the async context's "before commit" hook (transaction-hooks.ts) inside each attempt, after `fn` and
 * before COMMIT, so the hook's writes commit exactly when the operation's do.
 */
export function retryTransactions<DB>(db: Kysely<DB>, retries: number): Kysely<DB> {
  const begin = db.transaction.bind(db);
  db.transaction = () => {
    const builder = begin();
    const execute = builder.execute.bind(builder);
    builder.execute = async (fn) => {
      for (let attempt = 0; ; attempt++) {
        try {
          // Wrapped afresh for each attempt: the hook is part of the unit that is retried.
          const hooked = hookedAttempt(fn);
          if (!hooked) return await execute(fn);
          const result = await execute((trx) => hooked.run(trx));
          hooked.committed();
          return result;
        } catch (err) {
          if (attempt >= retries || !isRetryableTransactionError(err)) throw err;
          await sleep(Math.random() * 10 * 2 ** attempt);
        }
      }
    };
    return builder;
  };
  return db;
}
