import type { AccessSettings } from "../core/access-settings.js";
import type { CheckInSettings } from "../core/check-in-settings.js";
import type { LastSeenRecorder } from "../core/last-seen-recorder.js";
import type { KeyRing } from "../core/signing.js";
import type { Db } from "../db/schema.js";

/** What routes need from the outside world; built once in app.ts. */
export interface Deps {
  db: Db;
  keys: KeyRing;
  lastSeen: LastSeenRecorder;
  checkIn: CheckInSettings;
  /** Sessions, sign-in lockout, invites (SESSION_TTL_HOURS, LOGIN_MAX_FAILURES, ...). */
  access: AccessSettings;
  secureCookies: boolean;
}
