import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../../core/app-error.js";
import {
  type ClaimHandle,
  claimIdempotencyKey,
  completeIdempotencyKey,
  IDEMPOTENCY_DEFAULTS,
  IDEMPOTENCY_KEY_PATTERN,
  type IdempotencySettings,
  markIdempotencyKeyCommitted,
  purgeExpiredIdempotencyKeys,
} from "../../core/idempotency.js";
import type { Db } from "../../db/schema.js";
import { type BeforeCommitScope, openBeforeCommitScope } from "../../db/transaction-hooks.js";
import { credentialOf } from "../credential.js";
import { resellerOf } from "./auth.js";

declare module "fastify" {
  interface FastifyRequest {
    /** This request's claim on its Idempotency-Key, until its answer is stored. */
    idempotencyClaim?: ClaimHandle;
    /** The scope in which its transactions mark the claim committed, until its answer is stored. */
    idempotencyScope?: BeforeCommitScope;
  }
}

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const PURGE_EVERY_MS = 60_000;

/**
 * `Idempotency-Key` on the reseller API's writes (every POST, PATCH and DELETE of the scope it is registered in).
 * preHandler (after auth, so the reseller and credential are known; after body parsing, so the body can be compared):
 * claim the key, or answer from the record; then run the rest of the request with the claim's "committed" mark as its
 * before-commit hook, so the route's transaction marks the claim as it commits its change. onSend: store the answer of
 * a claimed request. The rules and the crash cases are in core/idempotency.ts. Requests without the header are
 * untouched.
 */
export function registerIdempotency(api: FastifyInstance, db: Db, overrides: Partial<IdempotencySettings> = {}): void {
  const settings = { ...IDEMPOTENCY_DEFAULTS, ...overrides };
  let purgeDueAt = 0;

  api.addHook("preHandler", async (req: FastifyRequest, reply: FastifyReply) => {
    if (!WRITE_METHODS.has(req.method)) return;
    const key = req.headers["idempotency-key"];
    if (key === undefined) return;
    if (typeof key !== "string" || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
      const message = "must be 1 to 255 printable ASCII characters (a UUID is a good choice)";
      throw new AppError("validation_error", `Idempotency-Key: ${message}`, {
        field: "Idempotency-Key",
        issues: [{ field: "Idempotency-Key", message }],
      });
    }
    const { resellerId } = resellerOf(req);
    const credential = credentialOf(req);
    if (!credential) throw new AppError("unauthorized", "Not authenticated.");

    // Expired keys are overwritten when reused anyway; this only keeps the table small. Once a minute per process.
    if (Date.now() >= purgeDueAt) {
      purgeDueAt = Date.now() + PURGE_EVERY_MS;
      await purgeExpiredIdempotencyKeys(db).catch((err) => req.log.warn({ err }, "idempotency purge failed"));
    }

    const claim = await claimIdempotencyKey(
      db,
      {
        resellerId,
        key,
        credential,
        method: req.method,
        route: req.routeOptions.url ?? req.url,
        path: req.url.split("?")[0] ?? req.url,
        params: req.params,
        query: req.query,
        body: req.body,
      },
      settings,
    );
    switch (claim.outcome) {
      case "run":
        req.idempotencyClaim = claim.claim;
        return;
      case "replay":
        // The stored bytes, as first sent: same status, same body.
        reply.status(claim.status).type("application/json; charset=utf-8").header("idempotent-replayed", "true");
        return reply.send(claim.body);
      case "reused":
        throw new AppError(
          "idempotency_key_reused",
          "This Idempotency-Key was already used for a different request (another body, endpoint or credential) in the last 24 h; use a new key.",
        );
      case "in_flight":
        reply.header("retry-after", "1");
        throw new AppError(
          "idempotency_key_in_flight",
          "A request with this Idempotency-Key is still being processed; retry shortly to get its answer.",
        );
      case "answer_lost":
        throw new AppError(
          "idempotency_key_answer_lost",
          `The request with this Idempotency-Key (${claim.method} ${claim.path}) was carried out and its change committed, but the server stopped before its answer was stored, so the answer cannot be replayed. It will not run again: read the result back with GET (the resource, its list, or /api/v1/activity). A one-time secret the answer held (a site key, an API key) cannot be shown again; make a new one.`,
          {
            committed: true,
            method: claim.method,
            path: claim.path,
            received_at: claim.receivedAt,
            activity: "/api/v1/activity",
          },
        );
    }
  });

  // The handler runs inside this scope (done() calls on into it synchronously), so the route's core operation finds
  // the hook when it opens its transaction (db/transaction-hooks.ts). A callback hook, not an async one: only `run`
  // with a callback carries an AsyncLocalStorage scope into what Fastify calls next. Closed in onSend.
  api.addHook("preHandler", (req, _reply, done) => {
    const claim = req.idempotencyClaim;
    if (!claim) return done();
    const scope = openBeforeCommitScope((trx) => markIdempotencyKeyCommitted(trx, claim));
    req.idempotencyScope = scope;
    scope.run(() => done());
  });

  // Runs for every answer of a claimed request, errors included (the error handler sends through onSend too).
  api.addHook("onSend", async (req, reply, payload) => {
    // The handler is done: nothing of this request opens a transaction any more.
    req.idempotencyScope?.close();
    const claim = req.idempotencyClaim;
    if (!claim) return payload;
    req.idempotencyClaim = undefined;
    try {
      const body =
        payload == null ? "" : typeof payload === "string" ? payload : Buffer.isBuffer(payload) ? payload.toString("utf8") : null;
      // A streamed answer cannot be kept (no reseller route streams): release the claim rather than store half of it
      // (a committed claim is kept: its retries are told the change was made).
      const status = body === null ? 500 : reply.statusCode;
      const stored = await completeIdempotencyKey(db, claim, status, body ?? "");
      if (!stored)
        req.log.warn(
          status < 500
            ? "idempotency claim was taken over before the answer was stored"
            : "server error after the change committed: the key's retries will be told the change was made",
        );
    } catch (err) {
      // The answer still goes out; the claim stays `committed` (or `in_flight`, if nothing changed) until it counts as
      // abandoned (core/idempotency.ts).
      req.log.warn({ err }, "idempotency answer not stored");
    }
    return payload;
  });
  // In case an answer went out without onSend (a hijacked reply): a scope left open would only cost speed.
  api.addHook("onResponse", async (req) => req.idempotencyScope?.close());
}
