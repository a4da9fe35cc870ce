/**
 * The evaluation budget, one limit at a time, through the public API: each hostile
 * template ends with a `limit` error located at the expression that hit it, and each
 * stays well within the test timeout instead of hanging.
 */
import { describe, expect, test } from "vitest";
import {
  evalExpression,
  parseExpression,
  parseTemplate,
  render,
  renderValue,
  type TemplateError,
} from "./index.js";
import { LIMITS } from "./limits.js";

function failure(r: { ok: true } | { ok: false; error: TemplateError }): TemplateError {
  if (r.ok) throw new Error("expected a limit error");
  return r.error;
}

/** The error of rendering `src`, which must be a located `limit` error. */
function renderLimit(src: string, scope: Record<string, unknown> = {}): TemplateError {
  const e = failure(renderValue(src, scope));
  expect(e.code).toBe("limit");
  return e;
}

const n = (x: number): string => x.toLocaleString("en-US");

describe("operations", () => {
  // Before: nested loops over big ranges ran for hours.
  test("nested for loops over big ranges stop at the operation limit, at the loop", () => {
    const src = "x{% for i in range(1000000) %}{% for j in range(100) %}{% endfor %}{% endfor %}";
    const e = renderLimit(src);
    expect(e.message).toBe(`template exceeds the limit of ${n(LIMITS.operations)} operations`);
    expect(src.slice(e.offset, e.offset + e.length)).toBe("range(100)");
  });

  test("`in` over a big list inside a loop is charged per item", () => {
    const e = renderLimit("{% for i in range(100000) %}{{ i in big }}{% endfor %}", {
      big: Array.from({ length: 100_000 }, (_, i) => i),
    });
    expect(e.message).toMatch(/operations/);
  });

  // Before: unique compared every pair (a million items: 5 * 10**11 comparisons).
  test("unique is linear: a million items pass", () => {
    expect(evalExpression("range(10**6) | list | unique | length", {})).toEqual({
      ok: true,
      value: 1_000_000,
    });
    expect(
      evalExpression("[1, true, 1.0, 'a', [1], [true], {'k': 1}, {'k': 1}] | unique", {}),
    ).toEqual({ ok: true, value: [1, "a", [1], { k: 1 }] });
    expect(evalExpression("[1, 2, 3] | difference([2.0]) | union([[1]]) ", {})).toEqual({
      ok: true,
      value: [1, 3, [1]],
    });
  });
});

describe("a deeply nested value", () => {
  // Before: unique's key escaped each level again, doubling per level (197 levels: OOM).
  test("unique and the set filters stay linear in its size", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 190; i++) deep = [deep];
    expect(evalExpression("[d, d] | unique | length", { d: deep })).toEqual({ ok: true, value: 1 });
    expect(evalExpression("[d] | difference([d])", { d: deep })).toEqual({ ok: true, value: [] });
  });
});

describe("characters", () => {
  // Before: `~` had no limit; only `*` had one.
  test("`~` concatenation stops at the string limit", () => {
    const src =
      "{% set a = 'x' * 10**6 %}{% set b = a~a~a~a %}{% set c = b~b~b~b %}{{ c~c~c~c~c }}";
    const e = renderLimit(src);
    expect(e.message).toBe(
      `template exceeds the limit of ${n(LIMITS.characters)} characters in a string`,
    );
    expect(src.slice(e.offset, e.offset + e.length)).toMatch(/^c~c/);
  });

  test("`+` on strings and lists, and `*`, are checked before building", () => {
    const big = "x".repeat(LIMITS.characters);
    expect(failure(evalExpression("s + s", { s: big })).code).toBe("limit");
    expect(failure(evalExpression("l + l", { l: Array(LIMITS.items).fill(0) })).code).toBe("limit");
    expect(failure(evalExpression("'ab' * 10**8", {})).code).toBe("limit");
  });

  // Before: range(999999)|join(long_sep) built a 1.5 GB string.
  test("join checks the result's length first", () => {
    const src = "range(999999) | join('x' * 1000)";
    const e = failure(evalExpression(src, {}));
    expect(e.code).toBe("limit");
    expect(src.slice(e.offset, e.offset + e.length)).toBe("join");
    expect(failure(evalExpression("(' ' * 1000).join(range(999999))", {})).code).toBe("limit");
    expect(failure(evalExpression("join(range(999999), ' ' * 1000)", {})).code).toBe("limit");
    const replace = "('a' * 10**6).replace('a', 'b' * 1000)";
    expect(failure(evalExpression(replace, {})).code).toBe("limit");
  });

  test("the rendered output is limited, at the tag that overflowed it", () => {
    const src = "{% for i in range(1000) %}{{ s }}{% endfor %}";
    const e = renderLimit(src, { s: "x".repeat(100_000) });
    expect(e.message).toBe(
      `template exceeds the limit of ${n(LIMITS.characters)} characters of output`,
    );
    expect(src.slice(e.offset, e.offset + e.length)).toBe("s");
  });

  test("text printed by a loop over the output limit is located at the loop", () => {
    const src = `{% for i in range(10**6) %}${"x".repeat(100)}{% endfor %}`;
    const e = renderLimit(src);
    expect(src.slice(e.offset, e.offset + e.length)).toBe("range(10**6)");
  });

  test("strings computed by one evaluation are limited in total", () => {
    const e = failure(
      evalExpression("range(100) | map('string') | map('regex_replace', '^', s) | list", {
        s: "x".repeat(1_000_000),
      }),
    );
    expect(e.message).toMatch(/characters computed in total/);
  });

  test("a large string read from a variable is not a computed one", () => {
    const big = "x".repeat(LIMITS.characters + 10);
    expect(renderValue("{{ out | default('') }}", { out: big })).toEqual({ ok: true, value: big });
  });
});

describe("items", () => {
  test("range, product and repetition are refused over the item limit", () => {
    expect(failure(evalExpression("range(10**7)", {})).message).toBe(
      `template exceeds the limit of ${n(LIMITS.items)} items in a list`,
    );
    expect(failure(evalExpression("[0] * 10**7", {})).code).toBe("limit");
    expect(failure(evalExpression("range(1000) | product(range(1000))", {})).code).toBe("limit");
  });
});

describe("nesting", () => {
  test("parentheses and brackets nested too deeply are a located error", () => {
    for (const [open, close] of [
      ["(", ")"],
      ["[", "]"],
      ["{'k': ", "}"],
    ]) {
      const src = `${open?.repeat(1000)}1${close?.repeat(1000)}`;
      const e = failure(parseExpression(src));
      expect(e.code).toBe("limit");
      expect(e.message).toMatch(/levels of nesting in an expression/);
      expect(e.offset).toBeGreaterThan(0);
    }
  });

  test("a long operator chain is refused by tree depth, not a stack overflow", () => {
    const e = failure(parseExpression(Array(100_000).fill("1").join(" ~ ")));
    expect(e.message).toBe(
      `template exceeds the limit of ${n(LIMITS.treeDepth)} levels in an expression tree`,
    );
    expect(
      evalExpression(
        Array(LIMITS.treeDepth - 1)
          .fill("1")
          .join(" + "),
        {},
      ),
    ).toEqual({
      ok: true,
      value: LIMITS.treeDepth - 1,
    });
  });

  test("blocks nested too deeply are refused at the opening tag", () => {
    const src = `${"{% if true %}".repeat(5000)}x${"{% endif %}".repeat(5000)}`;
    const e = failure(parseTemplate(src));
    expect(e).toMatchObject({ code: "limit", offset: 13 * LIMITS.nesting, length: 13 });
    expect(e.message).toMatch(/nested blocks/);
  });

  test("a deep value from from_json is refused without overflowing the stack", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const e = failure(evalExpression("s | from_json", { s: deep }));
    expect(e.message).toMatch(/levels of nesting in a value/);
  });
});

describe("a template within every limit", () => {
  test("renders as before", () => {
    const tpl = parseTemplate("{% for x in xs | unique %}{{ loop.index }}={{ x }};{% endfor %}");
    if (!tpl.ok) throw new Error(tpl.error.message);
    expect(render(tpl.value, { xs: ["a", "b", "a"] })).toEqual({ ok: true, value: "1=a;2=b;" });
  });
});
