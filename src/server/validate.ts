import type { z } from "zod";
import { AppError } from "../core/app-error.js";

/** Validates with a contract schema; the first failing field is named in `details.field`, every issue in `details.issues`. */
export function parse<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ field: i.path.join(".") || "body", message: i.message }));
  const first = issues[0] ?? { field: "body", message: "is invalid" };
  throw new AppError("validation_error", `${first.field}: ${first.message}`, { field: first.field, issues });
}
