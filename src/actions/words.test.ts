import { describe, expect, it } from "vitest";
import { splitWords } from "./words.js";

describe("splitWords", () => {
  const cases: [string, string[]][] = [
    ["a b  c", ["a", "b", "c"]],
    ["  lead trail  ", ["lead", "trail"]],
    [`'a b' "c d"`, ["a b", "c d"]],
    [`x'y'"z"`, ["xyz"]],
    [`"a\\"b" 'a\\b'`, ['a"b', "a\\b"]],
    [`"\\$x \\n"`, ["$x \\n"]],
    ["a\\ b", ["a b"]],
    ["a\\\nb", ["ab"]],
    [`''`, [""]],
    ["", []],
  ];
  for (const [src, want] of cases) {
    it(`splits ${JSON.stringify(src)}`, () => {
      expect(splitWords(src)).toEqual({ ok: true, value: want });
    });
  }

  it("refuses unterminated quotes and a trailing backslash", () => {
    expect(splitWords(`"a`).ok).toBe(false);
    expect(splitWords(`'a`).ok).toBe(false);
    expect(splitWords("a\\").ok).toBe(false);
  });
});
