import { type DialectUnderTest, postgresAvailable } from "./world.js";

/**
 * The dialects an API suite runs against: SQLite always; PostgreSQL when the local server answers. CI sets
 * REQUIRE_POSTGRES=1 so a missing server fails the run instead of quietly shrinking it.
 */
export async function dialectsUnderTest(): Promise<DialectUnderTest[]> {
  if (await postgresAvailable()) return ["sqlite", "postgres"];
  if (process.env.REQUIRE_POSTGRES === "1") throw new Error("REQUIRE_POSTGRES=1 but PostgreSQL at TEST_PG_URL does not answer");
  console.warn("PostgreSQL is not reachable at 127.0.0.1:5432: the PostgreSQL half of the API suites is skipped.");
  return ["sqlite"];
}
