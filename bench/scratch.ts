import { readFileSync, writeFileSync } from "node:fs";
import pg from "pg";

const PG_ADMIN_URL = process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function pgAdmin(query: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  await c.connect();
  try {
    await c.query(query);
  } finally {
    await c.end();
  }
}

/**
 * Runs `fn` on a fresh PostgreSQL database (dropped afterwards, even on failure), or answers `undefined` with a warning
 * when the local server does not answer: benchmarks then report SQLite only.
 */
export async function withScratchPostgres<T>(name: string, fn: (url: string) => Promise<T>): Promise<T | undefined> {
  const database = `${name}_${process.pid}`;
  try {
    await pgAdmin(`create database ${database}`);
  } catch {
    console.warn(`PostgreSQL is not reachable at ${new URL(PG_ADMIN_URL).host}: measured SQLite only.`);
    return undefined;
  }
  try {
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${database}`;
    return await fn(url.toString());
  } finally {
    await pgAdmin(`drop database if exists ${database} with (force)`);
  }
}

/** Puts `lines` between `<!-- bench:<tag> -->` and its closing marker in a document, or appends them with the markers. */
export function writeBenchBlock(path: string, tag: string, lines: string[]): void {
  const block = [`<!-- bench:${tag} -->`, ...lines, `<!-- /bench:${tag} -->`].join("\n");
  const marker = new RegExp(`<!-- bench:${tag} -->[\\s\\S]*<!-- /bench:${tag} -->`);
  const doc = readFileSync(path, "utf8");
  writeFileSync(path, marker.test(doc) ? doc.replace(marker, () => block) : `${doc.trimEnd()}\n\n${block}\n`);
  console.log(`updated ${path}`);
}
