import { describe } from "vitest";
import { browserUnavailableReason } from "./helpers.js";

/**
 * `describe` for browser tests: skipped with the reason when there is no system Chromium,
 * unless REQUIRE_BROWSER=1, where a missing browser is a failure.
 */
export function describeInBrowser(name: string, fn: () => void): void {
  const reason = browserUnavailableReason();
  if (reason && process.env.REQUIRE_BROWSER === "1") throw new Error(`REQUIRE_BROWSER=1 but ${reason}`);
  if (reason) describe.skip(`${name} — skipped: ${reason}`, fn);
  else describe(name, fn);
}
