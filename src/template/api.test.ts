/**
 * The planner-facing API: free variables, error offsets, canonical printing, the
 * small helpers, and the size limits that keep hostile input an error, not a crash.
 */
import { describe, expect, test } from "vitest";
import {
  evalExpression,
  freeVariablesOfExpression,
  freeVariablesOfTemplate,
  isTemplated,
  parseExpression,
  parseTemplate,
  printExpression,
  render,
  renderValue,
  toDisplayString,
  truthy,
} from "./index.js";

describe("free variables", () => {
  test.each([
    ["a.b + c[d] | default(e)", ["a", "c", "d", "e"]],
    ["len(xs) > 0 and starts_with(name, 'x')", ["name", "xs"]],
    ["x | upper | join(sep)", ["sep", "x"]],
    ["x is defined and x.rc != 0", ["x"]],
    ["is_defined(y)", ["y"]],
    ["result.stdout.split(',')", ["result"]],
    ["'lit' ~ 1", []],
    ["loop.index", ["loop"]],
    ['os == "linux"', ["os"]],
    ["[a, {'k': b}]", ["a", "b"]],
    ["a if b else c", ["a", "b", "c"]],
  ])("%s", (src, names) => {
    expect(freeVariablesOfExpression(src)).toEqual({ ok: true, value: names });
  });

  test.each([
    ["Hi {{ name }}", ["name"]],
    [
      "{% for p in packages %}{{ p }}{{ loop.index }}{{ prefix }}{% endfor %}",
      ["packages", "prefix"],
    ],
    ["{% for k, v in d.items() %}{{ k }}={{ v }}{% endfor %}", ["d"]],
    ["{% for p in ps if p != skip %}{% else %}{{ p }}{% endfor %}", ["p", "ps", "skip"]],
    ["{% set x = y %}{{ x }}", ["y"]],
    ["{{ x }}{% set x = 1 %}", ["x"]],
    ["{% if c %}{% set x = 1 %}{% endif %}{{ x }}", ["c", "x"]],
    ["{% for i in xs %}{% set t = i %}{% endfor %}{{ t }}", ["t", "xs"]],
    ["{% set b %}{{ z }}{% endset %}{{ b }}", ["z"]],
    ["{% raw %}{{ not_a_var }}{% endraw %}{# {{ nor_this }} #}", []],
    ["{% if v is defined %}{{ v }}{% endif %}", ["v"]],
  ])("template %s", (src, names) => {
    expect(freeVariablesOfTemplate(src)).toEqual({ ok: true, value: names });
  });

  test("syntax errors come back as errors", () => {
    expect(freeVariablesOfExpression("a +").ok).toBe(false);
    expect(freeVariablesOfTemplate("{% for %}").ok).toBe(false);
  });
});

describe("errors point at the exact character", () => {
  const at = (src: string, scope = {}): [string, number, number] => {
    const r = evalExpression(src, scope);
    if (r.ok) throw new Error("expected an error");
    return [r.error.code, r.error.offset, r.error.length];
  };
  test.each([
    ["1 + foo", {}, ["undefined", 4, 3]],
    ["d.bar", { d: {} }, ["undefined", 2, 3]],
    ["d['bar']", { d: {} }, ["undefined", 2, 5]],
    ["xs[5]", { xs: [] }, ["undefined", 3, 1]],
    ["a.b.c | upper", {}, ["undefined", 0, 1]],
    ["x | nope", { x: 1 }, ["unknown-filter", 4, 4]],
    ["nope(1)", {}, ["unknown-function", 0, 4]],
    ["'a' + 1", {}, ["type", 0, 7]],
    ["1 + * 2", {}, ["syntax", 4, 1]],
    ["(1", {}, ["syntax", 2, 1]],
    ["'abc", {}, ["syntax", 0, 1]],
    ["x.constructor", { x: {} }, ["sandbox", 2, 11]],
    ["x | int | trim", { x: "1" }, ["type", 10, 4]],
  ])("%s", (src, scope, expected) => {
    expect(at(src, scope)).toEqual(expected);
  });

  test("template offsets index the template source", () => {
    const tpl = parseTemplate("line1\nvalue: {{ missing }}");
    expect(tpl.ok).toBe(true);
    if (!tpl.ok) return;
    const r = render(tpl.value, {});
    expect(r.ok ? null : [r.error.code, r.error.offset, r.error.length]).toEqual([
      "undefined",
      16,
      7,
    ]);
    const bad = parseTemplate("ok {% if x %}\n{% endfor %}");
    expect(bad.ok ? null : [bad.error.code, bad.error.offset]).toEqual(["syntax", 14]);
    const r2 = renderValue("a {{ 1 + }}", {});
    expect(r2.ok ? null : [r2.error.code, r2.error.offset]).toEqual(["syntax", 9]);
  });
});

describe("printExpression", () => {
  test.each([
    ["a  and   b", "a and b"],
    ["a && !b", "a and (not b)"],
    ["1 + 2 * 3", "1 + (2 * 3)"],
    ["x | default('a\\n', true)", "x | default('a\\n', true)"],
    ["x is not divisibleby 3", "x is not divisibleby(3)"],
    ["d.0.name", "d[0].name"],
    ["'it\\'s'", `"it's"`],
    ["1 < x <= 3", "1 < x <= 3"],
    ["a if b", "a if b"],
    ["f(1, k=2)", "f(1, k=2)"],
    ["xs[1:]", "xs[1:]"],
    ["True", "true"],
  ])("%s → %s", (src, printed) => {
    const r = parseExpression(src);
    expect(r.ok && printExpression(r.value)).toBe(printed);
  });
});

describe("helpers", () => {
  test("isTemplated", () => {
    expect(isTemplated("a {{ b }}")).toBe(true);
    expect(isTemplated("{% if %}")).toBe(true);
    expect(isTemplated("{# c #}")).toBe(true);
    expect(isTemplated("a { b } %}")).toBe(false);
  });
  test("truthy is Python's", () => {
    for (const v of [null, false, 0, "", [], {}, Number.NaN]) expect(truthy(v)).toBe(false);
    for (const v of [true, 1, -1, "0", " ", [0], { a: 0 }]) expect(truthy(v)).toBe(true);
  });
  test("toDisplayString is Python's str()", () => {
    expect(toDisplayString(null)).toBe("None");
    expect(toDisplayString(true)).toBe("True");
    expect(toDisplayString("s")).toBe("s");
    expect(toDisplayString(1.5)).toBe("1.5");
    expect(toDisplayString(["a", 1, null, { k: false }])).toBe("['a', 1, None, {'k': False}]");
    expect(toDisplayString(["a\nb", "it's"])).toBe(`['a\\nb', "it's"]`);
  });
});

describe("limits keep hostile input an error", () => {
  test("huge repetition is refused", () => {
    expect(evalExpression("'x' * 100000000", {}).ok).toBe(false);
    expect(evalExpression("range(100000000)", {}).ok).toBe(false);
  });
  test("deep nesting is a syntax error", () => {
    const r = evalExpression(`${"(".repeat(500)}1${")".repeat(500)}`, {});
    expect(r.ok ? null : r.error.code).toBe("limit");
    expect(evalExpression(`${"not ".repeat(500)}1`, {}).ok).toBe(false);
  });
  test("a very long operator chain is an error, not a crash", () => {
    const r = evalExpression(Array(100_000).fill("1").join(" + "), {});
    expect(r.ok ? r.value : r.error.code).toBe("limit");
  });
});

describe("the planner's workload", () => {
  test("10,000 renders of cached templates", () => {
    for (let i = 0; i < 10_000; i++) {
      const r = renderValue("echo {{ item.name | upper }} {{ i }}", { item: { name: "pkg" }, i });
      if (!r.ok) throw new Error(r.error.message);
    }
  });
});
