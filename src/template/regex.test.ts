/**
 * Template regular expressions on RE2: linear time on the classic ReDoS patterns,
 * Python's replacement and flag semantics kept, unsupported syntax a clear error.
 */
import { describe, expect, test } from "vitest";
import { evalExpression } from "./index.js";

const hostile = { s: `${"a".repeat(50_000)}!` };
const value = (src: string, scope: Record<string, unknown> = {}) => evalExpression(src, scope);

describe("regexes never backtrack", () => {
  // Before: each of these hung the planner (V8's backtracking RegExp).
  test.each([
    ["s | regex_replace('(a+)+$', 'b')", hostile.s],
    ["s | regex_search('(a+)+$')", null],
    ["s | regex_findall('(a|aa)+$')", []],
    ["s is match('(a+)+$')", false],
    ["s is search('(a+)+$')", false],
    ["s is regex('(a+)+$')", false],
    ["regex_match(s, '(a+)+$')", false],
  ])("%s", (src, expected) => {
    expect(value(src, hostile)).toEqual({ ok: true, value: expected });
  });
});

describe("Python semantics on RE2", () => {
  test.each([
    ["'a1b22' | regex_replace('(\\\\d+)', '<\\\\1>')", "a<1>b<22>"],
    ["'k=v' | regex_replace('(?P<key>\\\\w)=(?P<val>\\\\w)', '\\\\g<val>=\\\\g<key>')", "v=k"],
    ["'aaa' | regex_replace('a', 'b', count=2)", "bba"],
    ["'ABC' | regex_replace('b', 'x', ignorecase=true)", "AxC"],
    ["'a\\nb' | regex_replace('^', '> ', multiline=true)", "> a\n> b"],
    ["'x*y' | regex_replace('x*', '-')", "--*-y-"],
    ["'abc' | regex_search('(?i)B.')", "bc"],
    ["'ver 1.2' | regex_search('(\\\\d)\\\\.(\\\\d)', '\\\\2', '\\\\1')", ["2", "1"]],
    [
      "'a1 b2' | regex_findall('(\\\\w)(\\\\d)')",
      [
        ["a", "1"],
        ["b", "2"],
      ],
    ],
    ["'abc' is match('b')", false],
    ["'abc' is search('b')", true],
    ["'abc\\n' is search('c\\\\Z')", false],
    ["'abc' is search('c\\\\Z')", true],
    ["'héllo wörld' | regex_replace('ö', 'o')", "héllo world"],
  ])("%s", (src, expected) => {
    expect(value(src)).toEqual({ ok: true, value: expected });
  });

  test("lookaround and backreferences are errors that name RE2, at the filter", () => {
    const src = "'foo' | regex_replace('o(?=o)', '0')";
    const r = value(src);
    if (r.ok) throw new Error("expected an error");
    expect(r.error.message).toBe(
      "regular expression 'o(?=o)' uses lookahead, which RE2 (the linear-time engine cairn uses) does not support",
    );
    expect(src.slice(r.error.offset, r.error.offset + r.error.length)).toBe("regex_replace");
    const back = value("'aa' is search('(a)\\\\1')");
    expect(back.ok ? "" : back.error.message).toMatch(/backreferences in the pattern/);
  });

  test("an invalid pattern is a value error", () => {
    const r = value("'a' | regex_search('[')");
    expect(r.ok ? "" : r.error.message).toMatch(/^invalid regular expression '\['/);
  });
});
