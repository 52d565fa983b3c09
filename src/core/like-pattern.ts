/** A case-insensitive "contains" pattern for `LIKE ... ESCAPE '\'` with the user's own `%`, `_` and `\` taken literally. */
export const containsPattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
