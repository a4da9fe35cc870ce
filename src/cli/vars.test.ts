// `--vars-file`: a .json file read with JSON.parse gives what the YAML reader gave.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { afterAll, describe, expect, it } from "vitest";
import { collectVars, hasDuplicateKey } from "./vars.js";

const dir = mkdtempSync(join(tmpdir(), "cairn-vars-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(ext: string, text: string): string {
  const path = join(dir, `v${n++}.${ext}`);
  writeFileSync(path, text);
  return path;
}

const vars = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }));

describe("collectVars with a .json file", () => {
  // The YAML reader is the reference: JSON is YAML, and it was how .json files were read.
  test.prop([vars, fc.constantFrom(undefined, 2)])(
    "gives the value the YAML reader gives for the same text",
    (value, indent) => {
      const text = JSON.stringify(value, null, indent);
      expect(collectVars([file("json", text)], [])).toEqual(collectVars([file("yml", text)], []));
    },
  );

  it("reports a syntax error at file:line:col, as before", () => {
    const path = file("json", '{\n  "a": 1,\n  "b": [1, 2\n}\n');
    const r = collectVars([path], []);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toHaveLength(1);
    expect(r.error[0]).toMatchObject({ code: "yaml", pos: { file: path, line: 4, column: 1 } });
    expect(collectVars([file("yml", '{\n  "a": 1,\n  "b": [1, 2\n}\n')], [])).toMatchObject({
      ok: false,
      error: [{ pos: { line: 4, column: 1 } }],
    });
  });

  it("refuses a repeated key at its line, which JSON.parse would take silently", () => {
    const path = file("json", '{"a": {"x": 1,\n  "x": 2}}');
    const r = collectVars([path], []);
    expect(r).toMatchObject({ ok: false, error: [{ pos: { file: path, line: 2, column: 3 } }] });
  });

  it("still accepts what only the YAML reader accepts (a trailing comma)", () => {
    expect(collectVars([file("JSON", '{"a": [1, 2,],}')], [])).toEqual({
      ok: true,
      value: { a: [1, 2] },
    });
  });

  it("merges files in order, then --var", () => {
    const a = file("json", '{"x": 1, "y": 1}');
    const b = file("yaml", "y: 2\nz: 2\n");
    expect(collectVars([a, b], ["z=3"])).toEqual({ ok: true, value: { x: 1, y: 2, z: 3 } });
  });
});

describe("hasDuplicateKey", () => {
  const key = fc.constantFrom("a", "b", "\\u0061", 'q\\"', "q\\u0022");
  // Objects written by hand, so that keys may repeat; `\u0061` is `a` and `\"` is `\u0022`.
  const obj: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
    v: fc.oneof(
      { depthSize: "small" },
      fc.constantFrom("1", "null", '"s:,{}[]"'),
      fc.array(tie("v")).map((xs) => `[${xs.join(", ")}]`),
      fc.array(fc.tuple(key, tie("v"))).map((kv) => `{${kv.map(([k, v]) => `"${k}": ${v}`)}}`),
    ),
  })).v;

  // JSON.parse keeps one pair per key, so re-serialising drops exactly the repeated pairs.
  test.prop([obj])("is true exactly when JSON.parse drops a pair", (text) => {
    const repeated = JSON.stringify(JSON.parse(text)).length < compact(text).length;
    expect(hasDuplicateKey(text)).toBe(repeated);
  });

  it("ignores brackets and colons inside strings", () => {
    expect(hasDuplicateKey('{"a": "}{\\"a\\": 1", "b": ["a", "a"]}')).toBe(false);
    expect(hasDuplicateKey('[{"a": 1}, {"a": 2}]')).toBe(false);
    expect(hasDuplicateKey('{"a": {"b": 1}, "a": 2}')).toBe(true);
  });
});

/** `text` as JSON.stringify would write it, every pair kept (keys decoded like JSON.parse). */
function compact(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|\s+/g, (t) =>
    t.startsWith('"') ? JSON.stringify(JSON.parse(t)) : "",
  );
}
