import { sql } from "kysely";
import type { Db } from "../db/schema.js";

interface Seen {
  at: string;
  version: string | null;
}

/** Rows per UPDATE: well inside SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 300;

/**
 * Check-ins are heartbeats: a fleet of sites checking in must not become one write per request. Last-seen times and
 * plugin versions collect here and are written together every `flushMs` (and on shutdown), one UPDATE per 300 sites.
 * A site seen twice between flushes is written once, with its latest time. A later flush never moves a time back,
 * so app servers flushing in any order agree.
 */
export class LastSeenRecorder {
  private pending = new Map<string, Seen>();
  private flushing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    flushMs: number,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.timer = setInterval(() => void this.flush(), flushMs);
    this.timer.unref();
  }

  record(clientId: string, at: string, version: string | undefined): void {
    const before = this.pending.get(clientId);
    this.pending.set(clientId, { at, version: version ?? before?.version ?? null });
  }

  /** Writes everything recorded so far; flushes queue behind each other, so shutdown waits for a timer flush too. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending = new Map();
    for (let i = 0; i < batch.length; i += CHUNK) {
      const chunk = batch.slice(i, i + CHUNK);
      try {
        await this.write(chunk);
      } catch (err) {
        // Keep what failed for the next flush, unless a newer sighting arrived meanwhile.
        for (const [id, seen] of chunk) if (!this.pending.has(id)) this.pending.set(id, seen);
        this.onError(err);
      }
    }
  }

  private async write(rows: [string, Seen][]): Promise<void> {
    const values = sql.join(rows.map(([id, s]) => sql`(cast(${id} as text), cast(${s.at} as text), cast(${s.version} as text))`));
    // Portable: both SQLite (3.33+) and PostgreSQL accept a CTE feeding UPDATE ... FROM.
    await sql`
      with seen(id, at, ver) as (values ${values})
      update clients
      set last_check_in_at = seen.at, plugin_version = coalesce(seen.ver, clients.plugin_version)
      from seen
      where clients.id = seen.id and (clients.last_check_in_at is null or clients.last_check_in_at < seen.at)`.execute(this.db);
  }
}
