import { z } from "zod";
import { idParam } from "../contracts/schemas.js";
import { AppError } from "../core/app-error.js";

/**
 * Validates with a contract schema; the first failing field is named in `details.field`, every issue in
 * `details.issues`. NUL characters are refused everywhere up front: PostgreSQL cannot store them in text, and no
 * name, URL or id legitimately contains one.
 */
export function parse<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const nul = findNul(data ?? {}, "");
  if (nul !== null) throw fieldError([{ field: nul || "body", message: "must not contain NUL characters" }]);
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  throw fieldError(
    result.error.issues.map((i) => {
      // An unknown key (a typo such as `poolid`) names the key itself, not the object around it.
      const keys = i.code === "unrecognized_keys" ? (i as { keys?: string[] }).keys : undefined;
      const path = [...i.path.map(String), ...(keys?.[0] ? [keys[0]] : [])];
      return { field: path.join(".") || "body", message: keys ? "is not a known field" : i.message };
    }),
  );
}

const emptyBody = z.strictObject({});

/**
 * For write routes that take no fields: no body, `null` or `{}`. Anything else (`{"reason": "..."}` sent to suspend)
 * is a validation_error naming the field, like an unknown field anywhere else, rather than silently ignored.
 */
export function parseNoBody(body: unknown): void {
  parse(emptyBody, body);
}

/** The `:id` of a route that takes no fields, once the body is checked to carry none (the id is named first). */
export function idWithNoBody(req: { params: unknown; body: unknown }): string {
  const { id } = parse(idParam, req.params);
  parseNoBody(req.body);
  return id;
}

function fieldError(issues: { field: string; message: string }[]): AppError {
  const first = issues[0] ?? { field: "body", message: "is invalid" };
  return new AppError("validation_error", `${first.field}: ${first.message}`, { field: first.field, issues });
}

/**
 * How deep a JSON request body may nest. Real bodies are flat objects (a level or two); anything deeper is refused before
 * it is parsed, so nothing downstream that walks a body recursively (canonical JSON for Idempotency-Key fingerprints,
 * zod, loggers) can be made to overflow its stack.
 */
export const MAX_BODY_DEPTH = 32;

/** Whether JSON text opens more than `max` arrays/objects inside each other; one pass, strings skipped. */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Iterative, not recursive: a 60 KB body of nested brackets must not exhaust the stack. */
function findNul(root: unknown, rootPath: string): string | null {
  const stack: [unknown, string][] = [[root, rootPath]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [value, path] = item;
    if (typeof value === "string") {
      if (value.includes("\u0000")) return path;
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        const at = path ? `${path}.${k}` : k;
        if (k.includes("\u0000")) return at;
        stack.push([v, at]);
      }
    }
  }
  return null;
}
