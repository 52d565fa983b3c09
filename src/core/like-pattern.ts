import { foldForSearch } from "./site-url.js";

/** A case-insensitive "contains" pattern for `LIKE ... ESCAPE '\'` with the user's own `%`, `_` and `\` taken literally. */
export const containsPattern = (q: string) => `%${foldForSearch(q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
