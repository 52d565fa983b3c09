import { invalid } from "./app-error.js";

/** Cursors are opaque to callers; inside they are the last id of the page (ids sort by creation time). */
export const encodeCursor = (id: string) => Buffer.from(id, "utf8").toString("base64url");

/** `prefix` is the id prefix of the list being paged, so a cursor from another list is refused, not misread. */
export function decodeCursor(cursor: string | undefined, prefix: string): string | null {
  if (!cursor) return null;
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  if (!new RegExp(`^${prefix}_[0-9a-z]{26}$`).test(id)) throw invalid("cursor", "is not a cursor this list gave out");
  return id;
}

/** Callers fetch limit + 1 rows; the extra row only says there is a next page. */
export function pageOf<T>(rows: T[], limit: number, idOf: (row: T) => string): { items: T[]; next_cursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next_cursor: rows.length > limit && last ? encodeCursor(idOf(last)) : null };
}
