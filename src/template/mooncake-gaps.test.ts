/** Template and expression forms mooncake's playbooks use (issue 11 part 5), through the public API. */
import { describe, expect, it } from "vitest";
import { evalExpression, renderValue } from "./index.js";

const ev = (src: string, scope: Record<string, unknown> = {}) => {
  const r = evalExpression(src, scope);
  return r.ok ? r.value : { error: r.error.code };
};
const render = (src: string, scope: Record<string, unknown> = {}) => {
  const r = renderValue(src, scope);
  return r.ok ? r.value : { error: r.error.code };
};

describe("mooncake's template and expression forms", () => {
  it.each([
    ["True | lower", "true"],
    ["false | upper", "FALSE"],
    ["3.5 | upper", "3.5"],
    ["'ab' | ljust(5) ~ '|'", "ab   |"],
    ["'ab' | rjust(5, '.')", "...ab"],
    ["7 | rjust(3, '0')", "007"],
    ["'abc' | center(8)", "  abc   "],
    ["'ab' | center(5)", "  ab "],
    ["'abcdef' | ljust(3)", "abcdef"],
    ["'x' | center", `${" ".repeat(39)}x${" ".repeat(40)}`],
    ["nil", null],
    ["x == nil", true],
    ["includes('b', ['a', 'b'])", true],
    ["includes('c', ['a', 'b'])", false],
    ["includes(['a', 'b'], 'a')", true],
    ["includes('a', nil)", false],
    ["len(nil)", 0],
    ["empty(nil)", true],
    ["constructor is defined", false],
    ["x.__proto__ is defined", false],
    ["x['constructor'] | default('d')", "d"],
    ["__proto__ | default(1)", 1],
  ])("%s", (src, expected) => {
    expect(ev(src, { x: null })).toEqual(expected);
  });

  it("still refuses to use a refused name", () => {
    expect(ev("constructor")).toEqual({ error: "sandbox" });
    expect(ev("x.constructor.constructor('return 1')()", { x: {} })).toEqual({ error: "sandbox" });
    expect(render("{{ ''.constructor }}")).toEqual({ error: "sandbox" });
    expect(ev("'a' | ljust(3, 'xy')")).toEqual({ error: "type" });
  });
});
