/** Shared limits: the server validates with them and the dashboard's forms use the same numbers. */
export const NAME_MAX = 200;
/** A site URL is an origin plus an optional install path: 500 characters is generous and keeps index keys small. */
export const SITE_URL_MAX = 500;
export const NOTE_MAX = 1000;
export const REASON_MAX = 1000;
export const PAGE_DEFAULT = 50;
export const PAGE_MAX = 200;
export const POOL_TOTAL_MAX = 1_000_000;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;
/** How often a licensed plugin should check in, and how long a signed answer stays usable offline. */
export const CHECK_IN_INTERVAL_S = 3600;
export const OFFLINE_GRACE_S = 72 * 3600;
/** Fullness thresholds for the pool bar: at or above NEARLY_FULL it warns, at 100% it is full. */
export const NEARLY_FULL_RATIO = 0.8;
