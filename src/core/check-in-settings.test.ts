import { describe, expect, it } from "vitest";
import { checkInSettingsFromEnv, windowFresh } from "./check-in-settings.js";

const H = 3_600_000;
const settings = checkInSettingsFromEnv({ LICENSE_GRACE_S: String(72 * 3600) });
const now = Date.parse("2026-12-04T12:00:00Z");

describe("windowFresh: when a stored signed document may be served again", () => {
  it("serves a document signed under this window until 1/8 of it has passed", () => {
    expect(windowFresh(settings, now - 8 * H, now + 64 * H, now)).toBe(true);
    expect(windowFresh(settings, now - 9 * H, now + 63 * H, now)).toBe(false);
  });

  it("re-signs a document made under a shorter grace window instead of serving it until it expires", () => {
    expect(windowFresh(settings, now - 60_000, now + H - 60_000, now)).toBe(false);
  });

  it("re-signs a document whose window is longer than this server's, or that was signed in the future", () => {
    expect(windowFresh(settings, now - 60_000, now + 200 * H, now)).toBe(false);
    expect(windowFresh(settings, now + 60_000, now + 72 * H, now)).toBe(false);
  });
});
