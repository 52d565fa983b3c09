import type { FastifyError, FastifyInstance } from "fastify";
import { ERROR_STATUS, type ErrorBody } from "../../contracts/errors.js";
import { AppError } from "../../core/app-error.js";
import { isDatabaseBusy } from "../../db/connect.js";

/** The one place errors become HTTP responses: AppError codes through ERROR_STATUS, framework 4xx as validation errors. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    const body = toBody(err);
    const status = ERROR_STATUS[body.error.code];
    if (status === 503) {
      req.log.warn({ err }, "database busy");
      reply.header("retry-after", "1");
    } else if (status >= 500) req.log.error({ err }, "unhandled error");
    // A refusal that knows when to come back (a sign-in lockout) says so the standard way too.
    const retryAfter = body.error.details?.retry_after_s;
    if (typeof retryAfter === "number") reply.header("retry-after", String(retryAfter));
    return reply.status(status).send(body);
  });
}

function toBody(err: FastifyError | AppError): ErrorBody {
  if (err instanceof AppError)
    return { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
  if (isDatabaseBusy(err))
    return { error: { code: "database_busy", message: "The database is busy; nothing was changed. Retry shortly." } };
  const status = (err as FastifyError).statusCode ?? 500;
  if (status === 413) return { error: { code: "payload_too_large", message: "The request body is too large." } };
  if (status === 429) return { error: { code: "rate_limited", message: err.message } };
  if (status >= 400 && status < 500) {
    return { error: { code: "validation_error", message: `body: ${err.message}`, details: { field: "body" } } };
  }
  return { error: { code: "internal_error", message: "Something went wrong on our side; it has been logged." } };
}
