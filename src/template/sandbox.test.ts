/**
 * The sandbox: no expression or template reaches a JavaScript function, prototype or
 * global. Every route tried here must come back as an error value (never a throw,
 * never a function), and nothing may be polluted afterwards.
 */
import { describe, expect, test } from "vitest";
import { evalExpression, parseTemplate, render, type Scope } from "./index.js";

const scope: Scope = { x: { a: 1 }, s: "str", xs: [1, 2], k: "constructor", n: 1 };

/** Deeply: no function, and only plain prototypes. */
function isPlain(v: unknown): boolean {
  if (typeof v === "function" || typeof v === "symbol" || typeof v === "bigint") return false;
  if (typeof v !== "object" || v === null) return true;
  if (Array.isArray(v)) return v.every(isPlain);
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(v).every(isPlain);
}

const refused: [string, string][] = [
  ["x.constructor", "sandbox"],
  ["x['constructor']", "sandbox"],
  ["x[k]", "sandbox"],
  ["x['constr' ~ 'uctor']", "sandbox"],
  ["''.constructor.constructor('return process')()", "sandbox"],
  ["s.constructor.constructor('return this')()", "sandbox"],
  ["__proto__", "sandbox"],
  ["{}.__proto__", "sandbox"],
  ["x.__proto__", "sandbox"],
  ["x['__proto__']", "sandbox"],
  ["xs.__proto__.map", "sandbox"],
  ["{'__proto__': 1}", "sandbox"],
  ["{'__proto__': {'polluted': true}}", "sandbox"],
  ["'a'.toString", "sandbox"],
  ["'a'.toString()", "sandbox"],
  ["x.hasOwnProperty", "sandbox"],
  ["x.hasOwnProperty('a')", "sandbox"],
  ["x.valueOf", "sandbox"],
  ["x.valueOf()", "sandbox"],
  ["x.isPrototypeOf", "sandbox"],
  ["x.__defineGetter__", "sandbox"],
  ["x.__lookupGetter__('a')", "sandbox"],
  ["toString", "sandbox"],
  ["constructor", "sandbox"],
  ["valueOf()", "unknown-function"],
  ["hasOwnProperty", "sandbox"],
  ["range.constructor", "sandbox"],
  ["range(1).constructor", "sandbox"],
  ["cycler.__init__.__globals__", "sandbox"],
  ["lipsum.__globals__", "sandbox"],
  ["lipsum.__globals__['os'].popen('id')", "sandbox"],
  ["''.__class__.__mro__[1].__subclasses__()", "sandbox"],
  ["x.mro", "sandbox"],
  ["xs.prototype", "sandbox"],
  ["''.split.constructor", "sandbox"],
  ["[].map", "undefined"],
  ["[].map(1)", "unknown-function"],
  ["xs.map", "undefined"],
  ["xs.length", "undefined"],
  ["s.length", "undefined"],
  ["s.charAt(0)", "unknown-function"],
  ["(1).toFixed(2)", "unknown-function"],
  ["x.get", "undefined"],
  ["x.items", "undefined"],
  ["self", "undefined"],
  ["self._TemplateReference__context", "undefined"],
  ["namespace", "undefined"],
  ["namespace()", "unknown-function"],
  ["joiner", "undefined"],
  ["joiner()", "unknown-function"],
  ["cycler(1, 2)", "unknown-function"],
  ["lipsum()", "unknown-function"],
  ["process", "undefined"],
  ["process.env", "undefined"],
  ["process.mainModule.require('child_process')", "undefined"],
  ["globalThis", "undefined"],
  ["global", "undefined"],
  ["window", "undefined"],
  ["require", "undefined"],
  ["require('fs')", "unknown-function"],
  ["import('fs')", "unknown-function"],
  ["this", "undefined"],
  ["Function('return 1')()", "unknown-function"],
  ["eval('1')", "unknown-function"],
  ["Object.keys(x)", "undefined"],
  ["x | attr('constructor')", "unknown-filter"],
  ["x | constructor", "unknown-filter"],
  ["x | toString", "unknown-filter"],
  ["x is constructor", "unknown-test"],
  ["env('constructor')", "ok:"],
  ["has_env('toString')", "ok:false"],
  ["xs | map('constructor') | list", "unknown-filter"],
  ["xs | select('constructor') | list", "unknown-test"],
  ["[x] | map(attribute='constructor') | list", "sandbox"],
  ["[x] | map(attribute='__proto__') | list", "sandbox"],
  ["[{'key': '__proto__', 'value': 1}] | items2dict", "sandbox"],
  ['\'{"__proto__": {"p": 1}}\' | from_json | attr', "unknown-filter"],
  ['(\'{"__proto__": {"p": 1}}\' | from_json).__proto__', "sandbox"],
  ["('{\"__proto__\": {\"p\": 1}}' | from_json)['__proto__']", "sandbox"],
];

describe("routes to JavaScript are refused", () => {
  test.each(refused)("%s → %s", (src, code) => {
    const r = evalExpression(src, scope);
    if (code.startsWith("ok:")) {
      expect(r).toEqual({ ok: true, value: code === "ok:false" ? false : "" });
      return;
    }
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.offset).toBeGreaterThanOrEqual(0);
      expect(r.error.offset).toBeLessThan(src.length);
    }
  });
});

describe("values that are not data are never reachable", () => {
  const hostile: Scope = {
    fn: () => 1,
    obj: { method: () => 2, nested: { f: Math.max } },
    date: new Date(0),
    map: new Map([["a", 1]]),
    cls: new (class Foo {
      bar = 1;
    })(),
    list: [() => 3],
  };
  test.each([
    ["fn", "sandbox"],
    ["fn()", "unknown-function"],
    ["obj.method", "sandbox"],
    ["obj.method()", "sandbox"],
    ["obj.nested.f", "sandbox"],
    ["date", "sandbox"],
    ["map", "sandbox"],
    ["cls.bar", "sandbox"],
    ["list[0]", "sandbox"],
  ])("%s → %s", (src, code) => {
    const r = evalExpression(src, hostile);
    expect(r.ok ? r.value : r.error.code).toBe(code);
  });
});

describe("no prototype is polluted", () => {
  test("dict literals, combine, from_json and templates leave Object.prototype alone", () => {
    const attempts = [
      "{'a': 1} | combine('{\"__proto__\": {\"polluted\": 1}}' | from_json)",
      "{'a': 1} | combine('{\"__proto__\": {\"polluted\": 1}}' | from_json, recursive=true)",
      '\'{"__proto__": {"polluted": 1}}\' | from_json',
      "'__proto__: {polluted: 1}' | from_yaml",
      "[{'key': 'constructor', 'value': 1}] | items2dict",
    ];
    for (const src of attempts) {
      const r = evalExpression(src, {});
      if (r.ok) expect(isPlain(r.value)).toBe(true);
    }
    const tpl = parseTemplate(
      "{% set __proto__ = {'polluted': 1} %}{% for constructor in [1] %}{% endfor %}",
    );
    expect(tpl.ok).toBe(true);
    if (tpl.ok) render(tpl.value, {});
    expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("a dict built from JSON keeps __proto__ as plain data", () => {
    const r = evalExpression('(\'{"__proto__": {"p": 1}}\' | from_json) | dict2items | length', {});
    expect(r).toEqual({ ok: true, value: 1 });
  });
});

describe("templates are sandboxed too", () => {
  test.each([
    "{{ ''.constructor }}",
    "{{ x.__class__ }}",
    "{% for c in ''.__class__.__mro__ %}{% endfor %}",
    "{% if x.constructor %}{% endif %}",
    "{{ __proto__ }}",
  ])("%s", (src) => {
    const tpl = parseTemplate(src);
    expect(tpl.ok).toBe(true);
    if (tpl.ok) {
      const r = render(tpl.value, scope);
      expect(r.ok ? r.value : r.error.code).toBe("sandbox");
    }
  });
});

describe("successful results are plain data", () => {
  test.each([
    "x",
    "[x, xs, s]",
    "x | dict2items",
    "x.items()",
    "s.split('t')",
    "range(3)",
    "'a: [1]' | from_yaml",
  ])("%s", (src) => {
    const r = evalExpression(src, scope);
    expect(r.ok).toBe(true);
    if (r.ok) expect(isPlain(r.value)).toBe(true);
  });
});
