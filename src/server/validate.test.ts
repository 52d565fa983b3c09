import { describe, expect, it } from "vitest";
import { MAX_BODY_DEPTH, nestedDeeperThan, parseNoBody } from "./validate.js";

describe("nestedDeeperThan", () => {
  const nest = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;

  it("counts arrays and objects inside each other, up to the limit and one past it", () => {
    expect(nestedDeeperThan(nest(MAX_BODY_DEPTH), MAX_BODY_DEPTH)).toBe(false);
    expect(nestedDeeperThan(nest(MAX_BODY_DEPTH + 1), MAX_BODY_DEPTH)).toBe(true);
    expect(nestedDeeperThan(`${'{"a":'.repeat(3)}1}}}`, 2)).toBe(true);
    expect(nestedDeeperThan('{"a": [1, {"b": 2}], "c": [3]}', 3)).toBe(false);
  });

  it("does not count brackets inside strings, escaped quotes included", () => {
    expect(nestedDeeperThan(JSON.stringify({ a: "[[[[{{{{", b: 'say "[[[["', c: "\\[[[" }), 1)).toBe(false);
    expect(nestedDeeperThan(JSON.stringify(["\\", [[]]]), 2)).toBe(true);
  });
});

describe("parseNoBody", () => {
  it("accepts no body, null and {}, and names any field sent", () => {
    for (const body of [undefined, null, {}]) expect(() => parseNoBody(body)).not.toThrow();
    expect(() => parseNoBody({ reason: "x" })).toThrow(/reason: is not a known field/);
    expect(() => parseNoBody([1])).toThrow(/body/);
    expect(() => parseNoBody("text")).toThrow(/body/);
  });
});
