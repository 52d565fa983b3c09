import type { z } from "zod";
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

function fieldError(issues: { field: string; message: string }[]): AppError {
  const first = issues[0] ?? { field: "body", message: "is invalid" };
  return new AppError("validation_error", `${first.field}: ${first.message}`, { field: first.field, issues });
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
