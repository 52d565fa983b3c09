/** Every machine-readable error code the API can answer with, and its HTTP status. One table, used by the server's error handler. */
export const ERROR_STATUS = {
  validation_error: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_failed: 403,
  site_mismatch: 403,
  not_found: 404,
  pool_full: 409,
  client_already_licensed: 409,
  client_not_licensed: 409,
  site_already_registered: 409,
  email_taken: 409,
  pool_below_used: 409,
  same_pool: 409,
  pool_request_not_pending: 409,
  pool_request_stale: 409,
  client_suspended: 409,
  client_not_suspended: 409,
  idempotency_key_in_flight: 409,
  idempotency_key_answer_lost: 409,
  last_owner: 409,
  invite_expired: 410,
  payload_too_large: 413,
  idempotency_key_reused: 422,
  rate_limited: 429,
  login_locked: 429,
  internal_error: 500,
  database_busy: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

/** The three ways out of a full pool, listed in every `pool_full` error so a script or the dashboard can offer them. */
export const POOL_FULL_WAYS_OUT = [
  {
    action: "revoke_license",
    description: "Revoke the license of a client that no longer needs it; the slot returns to this pool at once.",
  },
  {
    action: "purchase_plan",
    description: "Purchase another plan (GET /api/v1/plans, POST /api/v1/purchases); it arrives as a new pool.",
  },
  {
    action: "request_pool_change",
    description: "Ask support to change this pool's size in place (POST /api/v1/pool-requests).",
  },
] as const;
