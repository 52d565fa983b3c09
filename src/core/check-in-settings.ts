import { CHECK_IN_INTERVAL_S, OFFLINE_GRACE_S } from "../contracts/limits.js";
import { intFrom } from "../db/settings.js";

/** Check-in tuning from the environment; every knob has a default that suits production. */
export interface CheckInSettings {
  /** How long a signed document stays usable offline (LICENSE_GRACE_S, default 72 h). */
  graceS: number;
  /** Advised time between check-ins before jitter (CHECK_IN_INTERVAL_S, default 1 h). */
  intervalS: number;
  /** ± this share of the interval is added at random, so a fleet does not check in all at once. */
  jitterRatio: number;
  /** Check-ins per site key per minute before 429 (CHECK_IN_RATE_LIMIT, default 60). */
  perSiteKeyPerMinute: number;
  /** Check-ins per client address per minute before 429 (CHECK_IN_IP_RATE_LIMIT, default 6000: many sites share a host). */
  perIpPerMinute: number;
  /** How often batched last-seen times and plugin versions are written (CHECK_IN_FLUSH_MS, default 5000). */
  flushMs: number;
  /** Clients whose current answer each app process keeps in memory (CHECK_IN_CACHE_SIZE, default 100000, ~1.5 KB each). */
  answerCacheSize: number;
}

export function checkInSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): CheckInSettings {
  return {
    graceS: intFrom(env, "LICENSE_GRACE_S", OFFLINE_GRACE_S, 60),
    intervalS: intFrom(env, "CHECK_IN_INTERVAL_S", CHECK_IN_INTERVAL_S, 1),
    jitterRatio: 0.1,
    perSiteKeyPerMinute: intFrom(env, "CHECK_IN_RATE_LIMIT", 60, 1),
    perIpPerMinute: intFrom(env, "CHECK_IN_IP_RATE_LIMIT", 6000, 1),
    flushMs: intFrom(env, "CHECK_IN_FLUSH_MS", 5000, 10),
    answerCacheSize: intFrom(env, "CHECK_IN_CACHE_SIZE", 100_000, 1),
  };
}

/**
 * A document is re-signed once this much of its window has passed, so a plugin that goes offline right after a
 * check-in always holds at least 7/8 of the grace window (63 of 72 hours) while the server signs ~8 times per window.
 */
export const resignAfterMs = (s: CheckInSettings) => (s.graceS * 1000) / 8;

/**
 * Whether a signed window may be served again: signed at most 1/8 of this server's window ago, and still holding
 * at least 7/8 of it. Judged on both ends, so a document signed under another grace setting (a changed
 * LICENSE_GRACE_S, or app servers configured differently) is re-signed instead of served until it expires.
 */
export function windowFresh(s: CheckInSettings, issuedAtMs: number, validUntilMs: number, nowMs: number): boolean {
  const graceMs = s.graceS * 1000;
  const age = nowMs - issuedAtMs;
  const left = validUntilMs - nowMs;
  return age >= 0 && age < resignAfterMs(s) && left >= graceMs - resignAfterMs(s) && left <= graceMs;
}

/** The advised wait before the next check-in: the interval ± jitter, never below one second. */
export function jitteredIntervalS(s: CheckInSettings, random = Math.random): number {
  const spread = s.intervalS * s.jitterRatio;
  return Math.max(1, Math.round(s.intervalS - spread + random() * 2 * spread));
}
