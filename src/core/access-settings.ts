import { intFrom } from "../db/settings.js";

/** Sign-in, session and invite tuning from the environment; every knob has a default that suits production. */
export interface AccessSettings {
  /** A dashboard session ends this long after sign-in, however busy (SESSION_TTL_HOURS, default 12). */
  sessionTtlMs: number;
  /** ...and after this long without a request (SESSION_IDLE_MINUTES, default 120). */
  sessionIdleMs: number;
  /** Failed sign-ins for one email within the window before it is locked (LOGIN_MAX_FAILURES, default 5). */
  maxFailuresPerEmail: number;
  /** Failed sign-ins from one client address within the window before it is locked (LOGIN_IP_MAX_FAILURES, default 20). */
  maxFailuresPerIp: number;
  /** The window failures are counted in (LOGIN_FAILURE_WINDOW_MINUTES, default 15). */
  failureWindowMs: number;
  /** How long a lockout lasts (LOGIN_LOCKOUT_MINUTES, default 15). */
  lockoutMs: number;
  /** How long an invite link stays valid (INVITE_TTL_HOURS, default 72). */
  inviteTtlMs: number;
  /**
   * Where the dashboard is reached from outside (PUBLIC_URL, e.g. https://licenses.example.com), for invite links.
   * Unset: the address the owner's own request came to.
   */
  publicUrl: string | null;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export function accessSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AccessSettings {
  const publicUrl = env.PUBLIC_URL?.trim() || null;
  if (publicUrl && !/^https?:\/\/[^/\s]+/.test(publicUrl))
    throw new Error(`PUBLIC_URL must be an http(s) URL like https://licenses.example.com (got "${publicUrl}")`);
  return {
    sessionTtlMs: intFrom(env, "SESSION_TTL_HOURS", 12, 1) * HOUR,
    sessionIdleMs: intFrom(env, "SESSION_IDLE_MINUTES", 120, 1) * MINUTE,
    maxFailuresPerEmail: intFrom(env, "LOGIN_MAX_FAILURES", 5, 1),
    maxFailuresPerIp: intFrom(env, "LOGIN_IP_MAX_FAILURES", 20, 1),
    failureWindowMs: intFrom(env, "LOGIN_FAILURE_WINDOW_MINUTES", 15, 1) * MINUTE,
    lockoutMs: intFrom(env, "LOGIN_LOCKOUT_MINUTES", 15, 1) * MINUTE,
    inviteTtlMs: intFrom(env, "INVITE_TTL_HOURS", 72, 1) * HOUR,
    publicUrl: publicUrl?.replace(/\/+$/, "") ?? null,
  };
}
