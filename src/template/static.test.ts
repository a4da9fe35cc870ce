/**
 * The plan-time checks that do not evaluate: unknown names, unguarded free variables,
 * and the string helpers the planner uses on fields (`stripExpressionBraces`).
 */
import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import {
  checkNamesOfExpression,
  checkNamesOfTemplate,
  evalExpression,
  parseExpression,
  parseTemplate,
  render,
  type Scope,
  stripExpressionBraces,
  type TemplateError,
  unguardedFreeVariablesOfExpression,
  unguardedFreeVariablesOfTemplate,
} from "./index.js";

type NameRow = [string, [TemplateError["code"], number, number, string | undefined] | null];

/** Expression → null (all names known) or [code, offset, length, hint]. */
const nameRows: NameRow[] = [
  ["x | default(1) | upper", null],
  ["x | ansible.builtin.to_json", null],
  ["x | defualt(1)", ["unknown-filter", 4, 7, "did you mean 'default'?"]],
  ["x | ansible.builtin.nope", ["unknown-filter", 4, 20, undefined]],
  ["x is definedd", ["unknown-test", 5, 8, "did you mean 'defined'?"]],
  ["x is not sucess", ["unknown-test", 9, 6, "did you mean 'success'?"]],
  ["r is failed or r is skipped", null],
  ["lenn(x) > 0", ["unknown-function", 0, 4, "did you mean 'len'?"]],
  ["lookup('file', x)", ["unknown-function", 0, 6, expect.stringContaining("not available")]],
  ["x.startwith('a')", ["unknown-function", 2, 9, "did you mean 'startswith'?"]],
  ["x.stdout.splitlines() | length", null],
  ["d.get('k', 0) + d.items() | length", null],
  ["xs | select('evn') | list", ["unknown-test", 13, 3, "did you mean 'even'?"]],
  ["xs | selectattr('a', 'equalto', 1) | list", null],
  ["xs | rejectattr('a', 'defnied') | list", ["unknown-test", 22, 7, "did you mean 'defined'?"]],
  ["xs | map('uper') | list", ["unknown-filter", 10, 4, "did you mean 'upper'?"]],
  ["xs | map(attribute='name') | list", null],
  ["xs | map(var) | list", null],
  // The first by position, wherever it sits in the tree.
  ["a | nope1 if b | nope2 else c", ["unknown-filter", 4, 5, undefined]],
  ["(b is nope3) | nope4", ["unknown-test", 6, 5, undefined]],
  ["[1, zz(2)] | join(',')", ["unknown-function", 4, 2, undefined]],
  // Names only: undefined variables and types are the evaluator's business.
  ["undefined_var.whatever + 1", null],
  // A short unknown name gets no far-fetched hint.
  ["a | b", ["unknown-filter", 4, 1, undefined]],
];

describe("checkNamesOfExpression", () => {
  test.each(nameRows)("%s", (src, expected) => {
    const r = checkNamesOfExpression(src);
    if (expected === null) {
      expect(r).toEqual({ ok: true, value: undefined });
      return;
    }
    const [code, offset, length, hint] = expected;
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code, offset, length });
    expect(r.error.hint).toEqual(hint);
  });

  test("syntax errors come back as they are", () => {
    const r = checkNamesOfExpression("x |");
    expect(r.ok ? "ok" : r.error.code).toBe("syntax");
  });

  test("the evaluator reports the same code, place and hint", () => {
    for (const [src, expected] of nameRows) {
      if (expected === null || src.includes(" if ") || src.startsWith("(")) continue;
      const r = evalExpression(src, { x: "s", xs: [1], a: 1 });
      expect(r.ok ? "ok" : r.error.code).toBe(expected[0]);
    }
  });
});

describe("checkNamesOfTemplate", () => {
  test.each([
    ["plain text", null],
    ["{{ x | upper }}{% if x is defined %}{{ x }}{% endif %}", null],
    ["a {{ x | uper }}", ["unknown-filter", 9, 4]],
    ["{% if x is changd %}y{% endif %}", ["unknown-test", 11, 6]],
    ["{% for i in xs | sortt %}{% endfor %}", ["unknown-filter", 17, 5]],
    ["{% for i in xs if i is od %}{% endfor %}", ["unknown-test", 23, 2]],
    ["{% set v = frob(1) %}", ["unknown-function", 11, 4]],
    ["{% if a %}{% else %}{{ b | q1 }}{% endif %}{{ c | q2 }}", ["unknown-filter", 27, 2]],
    ["{% set s %}{{ x.nope() }}{% endset %}", ["unknown-function", 16, 4]],
  ] as const)("%s", (src, expected) => {
    const r = checkNamesOfTemplate(src);
    if (expected === null) {
      expect(r.ok).toBe(true);
      return;
    }
    expect(r.ok ? null : [r.error.code, r.error.offset, r.error.length]).toEqual(expected);
  });

  test("a template syntax error is reported", () => {
    const r = checkNamesOfTemplate("{% if x %}");
    expect(r.ok ? "ok" : r.error.code).toBe("syntax");
  });
});

const unguardedExpressions: [string, string[]][] = [
  ["x", ["x"]],
  ["x | default(1)", []],
  ["x | d(1)", []],
  ["x | ansible.builtin.default(1)", []],
  ["x.y.z | default(1)", []],
  ["x['k'][0] | default(1)", []],
  ["x[i] | default(1)", ["i"]],
  ["x | default(y)", ["y"]],
  ["(x + 1) | default(1)", ["x"]],
  ["x | upper | default(1)", ["x"]],
  ["x | mandatory", ["x"]],
  ["x is defined", []],
  ["x.y is not defined", []],
  ["x is undefined", []],
  ["x is none", ["x"]],
  ["x is sameas y", ["x", "y"]],
  ["default(x, 1)", []],
  ["default(x, y)", ["y"]],
  ["default(value=x)", []],
  ["is_defined(x.y)", []],
  ["coalesce(x, y.z, none)", []],
  ["has(x, 'k')", []],
  ["has(x, k)", ["k"]],
  ["len(x)", ["x"]],
  ["x is defined and x.y", []],
  ["x is defined and y", ["y"]],
  ["x is defined or x.y", ["x"]],
  ["x is not defined or x.y == 1", []],
  ["x is undefined or x", []],
  ["not (x is not defined) and x", []],
  ["not x is defined or x", []],
  ["x is defined and y is defined and x + y", []],
  ["(x is defined or y is defined) and x", ["x"]],
  ["(x is defined and y is defined) or x", ["x"]],
  ["not (x is defined and y is defined) or x ~ y", []],
  ["is_defined(x) && x > 1", []],
  ["x.y if x is defined else 0", []],
  ["x if x is defined else x", ["x"]],
  ["0 if x is not defined else x.y", []],
  ["x if x is defined", []],
  ["(a if x is defined else false) and x", ["a"]],
  ["(x is defined if a else x is defined) and x", ["a"]],
  ["x.y is defined and x.z", []],
  ["x is defined and y.k is defined and x[y.k]", []],
  ["x is none and x is defined", ["x"]],
  ["x | default(none) is none", []],
  ["range(3) | map('string') | list", []],
  ["result.rc != 0 and result.stdout | default('') != ''", ["result"]],
];

describe("unguardedFreeVariablesOfExpression", () => {
  test.each(unguardedExpressions)("%s → %j", (src, expected) => {
    expect(unguardedFreeVariablesOfExpression(src)).toEqual({ ok: true, value: expected });
  });

  test("a syntax error is reported", () => {
    const r = unguardedFreeVariablesOfExpression("x is");
    expect(r.ok ? "ok" : r.error.code).toBe("syntax");
  });
});

describe("unguardedFreeVariablesOfTemplate", () => {
  test.each([
    ["{{ x }}", ["x"]],
    ["{{ x | default('') }}", []],
    ["{% if x is defined %}{{ x.y }}{% endif %}", []],
    ["{% if x is defined %}a{% else %}{{ x }}{% endif %}", ["x"]],
    ["{% if x is not defined %}none{% else %}{{ x }}{% endif %}", []],
    ["{% if x is not defined %}a{% elif x.y %}{{ x.z }}{% else %}{{ x }}{% endif %}", []],
    ["{% if x is defined %}{% elif y is defined %}{{ y }}{{ x }}{% endif %}", ["x"]],
    ["{% if x is defined and y is defined %}{{ x ~ y }}{% endif %}{{ z }}", ["z"]],
    ["{% if x is defined %}a{% endif %}{{ x }}", ["x"]],
    ["{% if x is defined %}{% for i in x %}{{ i }}{% endfor %}{% endif %}", []],
    ["{% for i in xs %}{{ i }}{{ loop.index }}{% endfor %}", ["xs"]],
    ["{% for i in xs if x is defined %}{{ x }}{% endfor %}", ["xs"]],
    ["{% for i in xs if i is defined %}{% else %}{{ x }}{% endfor %}", ["x", "xs"]],
    ["{% set v = w %}{{ v }}", ["w"]],
    ["{% if c %}{% set v = 1 %}{% endif %}{{ v }}", ["c", "v"]],
    ["{% set s %}{{ q }}{% endset %}{{ s }}", ["q"]],
    ["plain", []],
  ] as [string, string[]][])("%s → %j", (src, expected) => {
    expect(unguardedFreeVariablesOfTemplate(src)).toEqual({ ok: true, value: expected });
  });

  test("a syntax error is reported", () => {
    const r = unguardedFreeVariablesOfTemplate("{{ x ");
    expect(r.ok ? "ok" : r.error.code).toBe("syntax");
  });
});

describe("stripExpressionBraces", () => {
  test.each([
    ["{{ flag }}", "flag", 3],
    ["{{flag}}", "flag", 2],
    ["  {{ a and b }}\n", "a and b", 5],
    ["{{- a -}}", "a", 4],
    ["{{ '}}' ~ x }}", "'}}' ~ x", 3],
    ["{{ {'a': {'b': 1}} }}", "{'a': {'b': 1}}", 3],
    ["{{ a }} and {{ b }}", "{{ a }} and {{ b }}", 0],
    ["{{ a }}x", "{{ a }}x", 0],
    ["flag", "flag", 0],
    ["x == '{{'", "x == '{{'", 0],
    ["{{ a", "{{ a", 0],
    ["", "", 0],
  ] as [string, string, number][])("%j", (src, expr, offset) => {
    const r = stripExpressionBraces(src);
    expect(r).toEqual({ expr, offset });
    if (offset > 0) expect(src.slice(offset, offset + expr.length)).toBe(expr);
  });

  test("errors in the inner expression map back into the string by the offset", () => {
    const src = "  {{ x | nope }}";
    const { expr, offset } = stripExpressionBraces(src);
    const r = evalExpression(expr, { x: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(src.slice(offset + r.error.offset, offset + r.error.offset + r.error.length)).toBe(
      "nope",
    );
  });
});

/**
 * Property: a name left out of the unguarded list is never the subject of an
 * `undefined` error, whichever names are missing from the scope.
 */
const NAMES = ["a", "b", "c"] as const;
const path = fc.oneof(
  fc.constantFrom(...NAMES),
  fc.constantFrom(...NAMES).map((n) => `${n}.y`),
  fc.constantFrom(...NAMES).map((n) => `${n}['y']`),
  fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(...NAMES)).map(([n, i]) => `${n}[${i}]`),
);
const guardedExpr = fc.letrec<{ e: string }>((tie) => {
  const e = (): fc.Arbitrary<string> => tie("e");
  return {
    e: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      path,
      fc.constantFrom("1", "none", "true", "''", "'y'"),
      fc.tuple(path, e()).map(([p, x]) => `(${p} | default(${x}))`),
      fc.tuple(path, e()).map(([p, x]) => `(${p} | d(${x}, true))`),
      fc
        .tuple(path, fc.constantFrom("defined", "not defined", "undefined", "none"))
        .map(([p, t]) => `(${p} is ${t})`),
      fc.tuple(path, e()).map(([p, x]) => `default(${p}, ${x})`),
      path.map((p) => `is_defined(${p})`),
      fc.tuple(path, path).map(([p, q]) => `coalesce(${p}, ${q})`),
      fc.tuple(path, e()).map(([p, x]) => `has(${p}, ${x})`),
      fc
        .tuple(e(), fc.constantFrom("and", "or", "&&", "||", "~", "==", "in"), e())
        .map(([x, op, y]) => `(${x} ${op} ${y})`),
      e().map((x) => `(not ${x})`),
      fc.tuple(e(), e(), e()).map(([x, t, y]) => `(${x} if ${t} else ${y})`),
      fc.tuple(e(), e()).map(([x, t]) => `(${x} if ${t})`),
      e().map((x) => `(${x} | string)`),
      e().map((x) => `[${x}]`),
    ),
  };
});
const value = fc.oneof(
  fc.constantFrom(null, true, false, 0, 1, "", "y", [], ["y"]),
  fc.constantFrom({}, { y: 1 }, { y: "y" }, { y: null }),
);
const scope = fc.record({ a: value, b: value, c: value }, { requiredKeys: [] });

/** The names an `undefined` error blames: `'x' is undefined`. */
function blamed(r: { ok: boolean; error?: TemplateError }): string | null {
  if (r.ok || r.error?.code !== "undefined") return null;
  const m = /^'([a-z])' is undefined$/.exec(r.error.message);
  return m?.[1] ?? null;
}

describe("unguarded free variables (property)", () => {
  prop.prop([guardedExpr.e, scope], { numRuns: 1000 })(
    "a name not listed is never reported undefined",
    (src, vars: Scope) => {
      expect(parseExpression(src).ok).toBe(true);
      const listed = unguardedFreeVariablesOfExpression(src);
      expect(listed.ok).toBe(true);
      if (!listed.ok) return;
      const r = evalExpression(src, vars);
      const name = blamed(r);
      if (name !== null) expect(listed.value).toContain(name);
    },
  );

  prop.prop(
    [
      fc.array(
        fc.oneof(
          guardedExpr.e.map((x) => `{{ ${x} }}`),
          fc
            .tuple(guardedExpr.e, guardedExpr.e, guardedExpr.e, guardedExpr.e)
            .map(
              ([c, x, c2, y]) =>
                `{% if ${c} %}{{ ${x} }}{% elif ${c2} %}{{ ${y} }}{% else %}{{ ${x} }}{% endif %}`,
            ),
        ),
        { minLength: 1, maxLength: 3 },
      ),
      scope,
    ],
    { numRuns: 300 },
  )("holds for templates with if/elif/else", (parts, vars: Scope) => {
    const src = parts.join("|");
    const parsed = parseTemplate(src);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const listed = unguardedFreeVariablesOfTemplate(src);
    expect(listed.ok).toBe(true);
    if (!listed.ok) return;
    const name = blamed(render(parsed.value, vars));
    if (name !== null) expect(listed.value).toContain(name);
  });
});
