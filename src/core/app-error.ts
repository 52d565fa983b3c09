import type { ErrorCode } from "../contracts/errors.js";

/** The one error type of the domain. The server maps `code` to an HTTP status through ERROR_STATUS. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const invalid = (field: string, message: string) =>
  new AppError("validation_error", `${field}: ${message}`, { field, issues: [{ field, message }] });
