/**
 * Database tuning from the environment, read once per connection. Every knob has a default that suits one app server
 * on a laptop; docs/scaling.md says how to size them for several app servers on one PostgreSQL.
 */
export interface DbSettings {
  /** PostgreSQL: connections per app process (DB_POOL_SIZE). */
  poolSize: number;
  /** PostgreSQL: statement_timeout per statement, ms (DB_STATEMENT_TIMEOUT_MS); 0 = none. */
  statementTimeoutMs: number;
  /** PostgreSQL: how long a request waits for a free pooled connection before failing, ms (DB_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs: number;
  /** SQLite: how long a writer waits for another process's write lock, ms (DB_BUSY_TIMEOUT_MS). */
  busyTimeoutMs: number;
  /** Both: extra attempts for a transaction that failed on a serialization failure, deadlock or busy lock (DB_TX_RETRIES). */
  txRetries: number;
}

/** An integer setting from the environment, or the default; anything else stops the start with a clear message. */
export function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min} (got "${raw}")`);
  return n;
}

export function dbSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): DbSettings {
  return {
    poolSize: intFrom(env, "DB_POOL_SIZE", 10, 1),
    statementTimeoutMs: intFrom(env, "DB_STATEMENT_TIMEOUT_MS", 10_000, 0),
    connectTimeoutMs: intFrom(env, "DB_CONNECT_TIMEOUT_MS", 10_000, 0),
    busyTimeoutMs: intFrom(env, "DB_BUSY_TIMEOUT_MS", 5_000, 0),
    txRetries: intFrom(env, "DB_TX_RETRIES", 3, 0),
  };
}
