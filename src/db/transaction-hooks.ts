import { AsyncLocalStorage } from "node:async_hooks";
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryId,
  QueryResult,
  RootOperationNode,
  Transaction,
  UnknownRow,
} from "kysely";

/**
 * "Before commit" work that must commit or roll back together with the first change an async context (e.g. one HTTP
 * request) makes. The DB layer knows nothing about what the work is: a caller registers it with `runWithBeforeCommit`
 * or `openBeforeCommitScope` (AsyncLocalStorage), and the transaction wrapper (transaction-retry.ts) runs it, through the same transaction, as the last statements of
 * the first outermost transaction in that context that changed at least one row, just before COMMIT:
 *
 * - a transaction whose callback throws, or whose COMMIT fails, takes the hook's writes down with it;
 * - a transaction retried after a deadlock or SQLITE_BUSY runs the hook again in each attempt (the hook is part of the
 *   retried unit), so the one attempt that commits carries it;
 * - a transaction that changed nothing (it only read, or its writes matched no row) does not run it;
 * - once a transaction that ran it has committed, later transactions of the context do not run it again;
 * - a transaction opened from inside another one's callback (necessarily on another connection) is not the outermost
 *   and does not run it.
 *
 * Outside such a scope transactions run exactly as before, with no extra cost.
 *
 * Cost: on Node 20 an AsyncLocalStorage in use makes every promise in the process dearer (in a quick check-in load
 * test, 15-20% fewer check-ins a second once any scope had ever been opened), so the storage is disabled whenever no
 * scope is open: the overhead is paid only while one is, e.g. while an Idempotency-Key request is being handled.
 */
// biome-ignore lint/suspicious/noExplicitAny: the hook runs in whichever schema's transaction the context opens.
export type BeforeCommit = (trx: Transaction<any>) => Promise<void>;

interface Scope {
  readonly beforeCommit: BeforeCommit;
  /** A transaction that ran the hook has committed. */
  done: boolean;
}

/** `null` inside a transaction's callback: transactions opened there are not outermost. */
const scopes = new AsyncLocalStorage<Scope | null>();
let openScopes = 0;

export interface BeforeCommitScope {
  /** Runs `fn` inside the scope: everything it starts, synchronously or after awaits, sees the hook. */
  run<T>(fn: () => T): T;
  /** Ends the scope once nothing run in it opens transactions any more (idempotent). */
  close(): void;
}

/**
 * Opens a scope with `beforeCommit` registered, for callers whose work outlives one function call (a request: see
 * server/plugins/idempotency.ts). Close it once that work can no longer open a transaction: one closed early lets later
 * transactions commit without the hook; one left open only costs speed.
 */
export function openBeforeCommitScope(beforeCommit: BeforeCommit): BeforeCommitScope {
  const scope: Scope = { beforeCommit, done: false };
  openScopes += 1;
  let closed = false;
  return {
    run: (fn) => scopes.run(scope, fn),
    close() {
      if (closed) return;
      closed = true;
      openScopes -= 1;
      // No scope is open, so no context needs the storage: switch its async tracking off until the next one opens.
      if (openScopes === 0) scopes.disable();
    },
  };
}

/** Runs `fn` with `beforeCommit` registered for its async context, until the promise it returns settles. */
export async function runWithBeforeCommit<T>(beforeCommit: BeforeCommit, fn: () => Promise<T>): Promise<T> {
  const scope = openBeforeCommitScope(beforeCommit);
  try {
    return await scope.run(fn);
  } finally {
    scope.close();
  }
}

export interface HookedAttempt<DB, T> {
  /** The transaction callback to run for this attempt: `fn`, then the hook if `fn` changed anything. */
  run(trx: Transaction<DB>): Promise<T>;
  /** To call once this attempt's COMMIT succeeded. */
  committed(): void;
}

/**
 * For the transaction wrapper: wraps one attempt of a transaction's callback, or returns null when no hook is due in
 * this context (none registered, already committed, or this transaction is nested in another's callback).
 */
export function hookedAttempt<DB, T>(fn: (trx: Transaction<DB>) => Promise<T>): HookedAttempt<DB, T> | null {
  const scope = scopes.getStore();
  if (!scope || scope.done) return null;
  let ran = false;
  return {
    async run(trx) {
      const writes = new ChangeTracker();
      const result = await scopes.run(null, () => fn(trx.withPlugin(writes)));
      // A sibling transaction of the same context may have committed the hook while this one ran.
      if (writes.changed && !scope.done) {
        await scope.beforeCommit(trx);
        ran = true;
      }
      return result;
    },
    committed() {
      if (ran) scope.done = true;
    },
  };
}

const WRITE_NODES = new Set(["InsertQueryNode", "UpdateQueryNode", "DeleteQueryNode", "MergeQueryNode"]);

/**
 * Notices whether any statement run through the transaction changed a row: an affected-row count above zero (both
 * drivers report one for writes, raw SQL included), or rows returned by an INSERT/UPDATE/DELETE ... RETURNING (the
 * SQLite driver reports only the rows for those).
 */
class ChangeTracker implements KyselyPlugin {
  changed = false;
  readonly #writes = new WeakSet<QueryId>();

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    if (WRITE_NODES.has(node.kind)) this.#writes.add(queryId);
    return node;
  }

  async transformResult({ queryId, result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if ((result.numAffectedRows ?? 0n) > 0n || (this.#writes.has(queryId) && result.rows.length > 0)) this.changed = true;
    return result;
  }
}
