/**
 * Property tests of the engine's contracts, each stated in the sentence above it.
 * Generators build values with map/oneof/letrec only (no filters that could starve).
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import type { Expr } from "./ast.js";
import {
  evalExpression,
  freeVariablesOfExpression,
  freeVariablesOfTemplate,
  parseExpression,
  parseTemplate,
  printExpression,
  render,
  renderValue,
  type Scope,
  unguardedFreeVariablesOfExpression,
} from "./index.js";

const S = { start: 0, end: 0 };
const identifier = fc.constantFrom("a", "b", "foo", "x_1", "item", "_y", "Z9");
const literal = fc.oneof(
  fc.nat().map((value) => ({ type: "literal", value, ...S }) as Expr),
  fc
    .double({ min: 0, max: 1e9, noNaN: true })
    .map((v) => ({ type: "literal", value: Math.abs(v), ...S }) as Expr),
  fc.string().map((value) => ({ type: "literal", value, ...S }) as Expr),
  fc.constantFrom(true, false, null).map((value) => ({ type: "literal", value, ...S }) as Expr),
);

/** Arbitrary expression trees covering every node type, with zero offsets. */
const { expr } = fc.letrec<{ expr: Expr }>((tie) => {
  const e = (): fc.Arbitrary<Expr> => tie("expr");
  const args = fc.record({
    args: fc.array(e(), { maxLength: 2 }),
    kwargs: fc.array(fc.record({ name: identifier, value: e() }), { maxLength: 2 }),
  });
  const opt = fc.option(e(), { nil: null });
  return {
    expr: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      literal,
      identifier.map((name): Expr => ({ type: "name", name, ...S })),
      fc.array(e(), { maxLength: 3 }).map((items): Expr => ({ type: "list", items, ...S })),
      fc
        .array(fc.record({ key: e(), value: e() }), { maxLength: 2 })
        .map((entries): Expr => ({ type: "dict", entries, ...S })),
      fc
        .tuple(e(), identifier)
        .map(([object, name]): Expr => ({ type: "member", object, name, nameStart: 0, ...S })),
      fc.tuple(e(), e()).map(([object, index]): Expr => ({ type: "index", object, index, ...S })),
      fc.tuple(e(), opt, opt, opt).map(
        ([object, lower, upper, step]): Expr => ({
          type: "slice",
          object,
          lower,
          upper,
          step,
          ...S,
        }),
      ),
      fc.tuple(identifier, args).map(
        ([name, a]): Expr => ({
          type: "call",
          callee: { type: "name", name, ...S },
          ...a,
          ...S,
        }),
      ),
      fc
        .tuple(e(), fc.constantFrom("upper", "default", "join", "ansible.builtin.to_json"), args)
        .map(
          ([subject, name, a]): Expr => ({
            type: "filter",
            subject,
            name,
            nameStart: 0,
            ...a,
            ...S,
          }),
        ),
      fc
        .tuple(
          e(),
          fc.constantFrom("defined", "none", "divisibleby", "in", "even"),
          fc.boolean(),
          fc.array(e(), { maxLength: 2 }),
        )
        .map(
          ([subject, name, negated, a]): Expr => ({
            type: "test",
            subject,
            name,
            negated,
            args: a,
            nameStart: 0,
            ...S,
          }),
        ),
      fc
        .tuple(fc.constantFrom("not", "-", "+") as fc.Arbitrary<"not" | "-" | "+">, e())
        .map(([op, operand]): Expr => ({ type: "unary", op, operand, ...S })),
      fc
        .tuple(
          fc.constantFrom("+", "-", "*", "/", "//", "%", "**", "~") as fc.Arbitrary<"+">,
          e(),
          e(),
        )
        .map(([op, left, right]): Expr => ({ type: "binary", op, left, right, ...S })),
      fc
        .tuple(fc.constantFrom("and", "or") as fc.Arbitrary<"and" | "or">, e(), e())
        .map(([op, left, right]): Expr => ({ type: "logical", op, left, right, ...S })),
      fc
        .tuple(
          e(),
          fc.array(
            fc.record({
              op: fc.constantFrom(
                "==",
                "!=",
                "<",
                "<=",
                ">",
                ">=",
                "in",
                "not in",
              ) as fc.Arbitrary<"==">,
              right: e(),
            }),
            { minLength: 1, maxLength: 3 },
          ),
        )
        .map(([first, rest]): Expr => ({ type: "compare", first, rest, ...S })),
      fc.tuple(e(), e(), opt).map(
        ([test, consequent, alternate]): Expr => ({
          type: "cond",
          test,
          consequent,
          alternate,
          ...S,
        }),
      ),
    ),
  };
});

/** Drop offsets so that trees compare by meaning. */
function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== "start" && k !== "end" && k !== "nameStart")
        .map(([k, x]) => [k, strip(x)]),
    );
  }
  return v;
}

describe("parse → print → parse", () => {
  // Printing any tree and parsing the text gives the same tree back (offsets aside).
  test.prop([expr], { numRuns: 500 })("round-trips", (tree) => {
    const printed = printExpression(tree);
    const parsed = parseExpression(printed);
    expect(parsed.ok ? strip(parsed.value) : parsed.error).toEqual(strip(tree));
  });
});

/** Well-typed expressions over a fixed scope, with no short-circuits and no guards. */
const SCOPE: Scope = { a: 2, b: 3, c: -1, s: "str", d: { k: 5 }, l: [1, 2] };
const typed = fc.letrec<{ num: string; str: string; bool: string }>((tie) => {
  const num = (): fc.Arbitrary<string> => tie("num");
  const str = (): fc.Arbitrary<string> => tie("str");
  return {
    num: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.nat(99).map(String),
      fc.constantFrom("a", "b", "c", "d.k", "l[0]", "d['k']", "len(l)"),
      fc
        .tuple(num(), fc.constantFrom("+", "-", "*"), num())
        .map(([x, op, y]) => `(${x} ${op} ${y})`),
      num().map((x) => `-(${x})`),
      num().map((x) => `(${x} | abs)`),
      fc.tuple(num(), num()).map(([x, y]) => `max(${x}, ${y})`),
      str().map((x) => `len(${x})`),
    ),
    str: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom("'lit'", "s", "''"),
      fc.tuple(num(), str()).map(([x, y]) => `(${x} ~ ${y})`),
      fc.tuple(str(), str()).map(([x, y]) => `(${x} + ${y})`),
      str().map((x) => `(${x} | upper)`),
      num().map((x) => `(${x} | string)`),
      str().map((x) => `${x}.lower()`),
    ),
    bool: fc.oneof(
      fc
        .tuple(num(), fc.constantFrom("<", "==", ">=", "!="), num())
        .map(([x, op, y]) => `${x} ${op} ${y}`),
      fc.tuple(str(), str()).map(([x, y]) => `${x} in ${y}`),
      tie("bool").map((x) => `not (${x})`),
      fc.tuple(num(), num()).map(([x, y]) => `[${x}, {'k': ${y}}]`),
    ),
  };
});
const anyTyped = fc.oneof(typed.num, typed.str, typed.bool);

describe("free variables", () => {
  // Removing a free variable from the scope makes evaluation fail with an `undefined`
  // error naming it; removing a name that is not free changes nothing.
  test.prop([anyTyped], { numRuns: 300 })("are exactly the names whose absence fails", (src) => {
    const full = evalExpression(src, SCOPE);
    expect(full.ok).toBe(true);
    const free = freeVariablesOfExpression(src);
    expect(free.ok).toBe(true);
    if (!free.ok) return;
    for (const name of Object.keys(SCOPE)) {
      const { [name]: _removed, ...rest } = SCOPE;
      const r = evalExpression(src, rest);
      if (free.value.includes(name)) {
        expect(r.ok ? "ok" : r.error.code).toBe("undefined");
        expect(r.ok ? "" : r.error.message).toContain(`'${name}'`);
      } else {
        expect(r).toEqual(full);
      }
    }
  });
});

describe("unguarded free variables", () => {
  // Over arbitrary trees: taking a name that is not listed out of the scope never
  // makes evaluation fail with "'name' is undefined".
  const IDS = ["a", "b", "foo", "x_1", "item", "_y", "Z9"];
  const values = fc.constantFrom<unknown>(0, 1, "s", true, null, [1], { a: 1 }, {});
  test.prop([expr, fc.array(values, { minLength: IDS.length, maxLength: IDS.length })], {
    numRuns: 500,
  })("a name not listed is never the undefined one", (tree, vals) => {
    const src = printExpression(tree);
    const listed = unguardedFreeVariablesOfExpression(src);
    if (!listed.ok) return;
    const scope: Scope = Object.fromEntries(IDS.map((id, i) => [id, vals[i]]));
    for (const id of IDS) {
      if (listed.value.includes(id)) continue;
      const { [id]: _removed, ...rest } = scope;
      const r = evalExpression(src, rest);
      if (!r.ok) expect(r.error.message).not.toBe(`'${id}' is undefined`);
    }
  });
});

/** Templates mixing text, output, if, for and set over the typed expressions. */
const templateSource = fc.letrec<{ tpl: string }>((tie) => ({
  tpl: fc
    .array(
      fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.stringMatching(/^[a-z \n:-]{0,8}$/),
        anyTyped.map((x) => `{{ ${x} }}`),
        fc
          .tuple(typed.bool, tie("tpl"), tie("tpl"))
          .map(([c, t, f]) => `{% if ${c} %}${t}{% else %}${f}{% endif %}\n`),
        tie("tpl").map((body) => `{% for i in l %}{{ loop.index }}{{ i }}${body}{% endfor %}\n`),
        typed.num.map((x) => `{% set v = ${x} %}{{ v }}`),
      ),
      { maxLength: 4 },
    )
    .map((parts) => parts.join("")),
}));

describe("rendering", () => {
  // Rendering the same template with the same scope always gives the same result.
  test.prop([templateSource.tpl], { numRuns: 200 })("is deterministic", (src) => {
    const tpl = parseTemplate(src);
    expect(tpl.ok).toBe(true);
    if (!tpl.ok) return;
    const first = render(tpl.value, SCOPE);
    renderValue("{{ s }} {% for i in l %}{% endfor %}", SCOPE);
    expect(render(tpl.value, structuredClone(SCOPE))).toEqual(first);
    expect(first.ok).toBe(true);
    const vars = freeVariablesOfTemplate(src);
    expect(vars.ok && vars.value.every((n) => n in SCOPE)).toBe(true);
  });
});

const soup = fc
  .array(
    fc.constantFrom(
      "{{",
      "}}",
      "{%",
      "%}",
      "{#",
      "#}",
      "-",
      "(",
      ")",
      "[",
      "]",
      "{",
      "}",
      ",",
      ":",
      ".",
      "|",
      "~",
      "if",
      "else",
      "elif",
      "endif",
      "for",
      "in",
      "endfor",
      "set",
      "=",
      "raw",
      "endraw",
      "is",
      "not",
      "and",
      "or",
      "&&",
      "||",
      "!",
      "x",
      "xs",
      "d",
      "loop",
      "default",
      "upper",
      "map",
      "select",
      "len",
      "'s'",
      '"q\\"',
      "1",
      "2.5",
      "-3",
      "none",
      "True",
      "**",
      "//",
      "%",
      "*",
      "+",
      "==",
      "<",
      "__proto__",
      "constructor",
      "items()",
      "range(3)",
      "\n",
      " ",
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(""));

describe("robustness", () => {
  const scope: Scope = { x: 1, xs: [1, 2], d: { a: "b" } };
  // Any input string gives a Result with an in-bounds offset: the engine never throws.
  test.prop([fc.oneof(fc.string(), soup)], { numRuns: 1000 })("never throws", (src) => {
    for (const r of [
      evalExpression(src, scope),
      renderValue(src, scope),
      freeVariablesOfExpression(src),
      freeVariablesOfTemplate(src),
    ]) {
      expect(typeof r.ok).toBe("boolean");
      if (!r.ok) {
        expect(r.error.offset).toBeGreaterThanOrEqual(0);
        expect(r.error.offset).toBeLessThanOrEqual(src.length);
      }
    }
  });
});
