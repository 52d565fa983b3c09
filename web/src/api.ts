import type { ErrorBody, ErrorCode } from "../../src/contracts/errors.js";

/** Codes the server sends, plus the two the browser itself can produce. */
export type ApiErrorCode = ErrorCode | "network_error" | "bad_response";

/** Every failed call becomes one of these: the server's code and message, and the field it names (if any). */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown>;

  constructor(code: ApiErrorCode, message: string, status: number, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
    this.details = details;
  }

  /** The request field the server blamed, e.g. "site_url" for a validation error. */
  get field(): string | null {
    return typeof this.details.field === "string" ? this.details.field : null;
  }
}

let csrfToken: string | null = null;
let onSessionLost: (() => void) | null = null;

/** The session's CSRF token lives only in memory; it is fetched again from GET /api/auth/session on every load. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when an authenticated call answers 401 (the session expired or was signed out elsewhere). */
export function setSessionLostHandler(handler: (() => void) | null): void {
  onSessionLost = handler;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** The one fetch wrapper: JSON in and out, X-CSRF-Token on writes, error bodies turned into a typed ApiError. */
export async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError("network_error", "Could not reach licensepool. Check your connection and try again.", 0);
  }
  const text = await res.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError("bad_response", "The server sent an answer we could not read. Try again in a moment.", res.status);
    }
  }
  if (!res.ok) {
    const error = (parsed as Partial<ErrorBody> | null)?.error;
    const apiError = error
      ? new ApiError(error.code, error.message, res.status, error.details ?? {})
      : new ApiError("bad_response", `The server answered ${res.status}.`, res.status);
    if (res.status === 401 && !path.startsWith("/api/auth/")) onSessionLost?.();
    throw apiError;
  }
  return parsed as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) =>
  request<T>("GET", withQuery(path, query), undefined, signal);
export const post = <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {});
export const patch = <T>(path: string, body: unknown) => request<T>("PATCH", path, body);
export const del = <T>(path: string) => request<T>("DELETE", path);
