import { describe, it } from "vitest";
import { type DialectUnderTest, PG_ADMIN_URL, postgresAvailable } from "./world.js";

/**
 * The dialects an API suite runs against: SQLite always; PostgreSQL when the local server answers. CI sets
 * REQUIRE_POSTGRES=1 so a missing server fails the run instead of quietly shrinking it. Without it, the PostgreSQL
 * half shows up in the report as a skipped suite that says why.
 */
export async function dialectsUnderTest(): Promise<DialectUnderTest[]> {
  if (await postgresAvailable()) return ["sqlite", "postgres"];
  const where = new URL(PG_ADMIN_URL).host;
  if (process.env.REQUIRE_POSTGRES === "1") throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL at ${where} does not answer`);
  describe.skip(`PostgreSQL half of this suite — skipped: no PostgreSQL answers at ${where} (set TEST_PG_URL)`, () => {
    it("runs the same tests on PostgreSQL", () => {});
  });
  return ["sqlite"];
}
