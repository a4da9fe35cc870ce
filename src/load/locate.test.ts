import { describe, expect, it } from "vitest";
import { parseYaml } from "./parse.js";
import type { LoadedDoc } from "./types.js";

function load(text: string): LoadedDoc {
  const r = parseYaml({ path: "t.yml", text });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

const PLAYBOOK = `vars:
  app: web
steps:
  - name: one
    shell: echo 1
  - name: two
    comand: ls
    tags: [a, b]
    when:
`;

describe("locate", () => {
  const doc = load(PLAYBOOK);

  it("finds scalars, with their length", () => {
    expect(doc.locate(["steps", 0, "shell"])).toEqual({
      file: "t.yml",
      line: 5,
      column: 12,
      length: 6,
    });
    expect(doc.locate(["steps", 1, "tags", 1])).toMatchObject({ line: 8, column: 15, length: 1 });
  });

  it("finds a step (a mapping) at its first key", () => {
    expect(doc.locate(["steps", 1])).toMatchObject({ line: 6, column: 5, length: 1 });
  });

  it("falls back to the nearest existing ancestor", () => {
    expect(doc.locate(["steps", 1, "nope", 3])).toMatchObject({ line: 6, column: 5 });
    expect(doc.locate(["steps", 9])).toMatchObject({ line: 4, column: 3 });
  });

  it("points at the key of an entry with an empty value", () => {
    expect(doc.locate(["steps", 1, "when"])).toMatchObject({ line: 9, column: 5, length: 4 });
  });

  it("locates keys", () => {
    expect(doc.locateKey(["steps", 1, "comand"])).toEqual({
      file: "t.yml",
      line: 7,
      column: 5,
      length: 6,
    });
  });

  it("follows aliases and merge keys", () => {
    const d = load("base: &b\n  cwd: /tmp\nstep:\n  <<: *b\n  shell: ls\n");
    expect(d.locate(["step", "cwd"])).toMatchObject({ line: 2, column: 8 });
    expect(d.locateKey(["step", "shell"])).toMatchObject({ line: 5, column: 3 });
  });

  it("handles the root and empty documents", () => {
    expect(load("").locate(["steps"])).toMatchObject({ line: 1, column: 1 });
    expect(load("- a\n").locate([])).toMatchObject({ line: 1, column: 1 });
  });

  it("returns the source of a scalar", () => {
    expect(load("mode: 0o644\n").scalarSource(["mode"])).toBe("0o644");
    expect(load("mode: 0o644\n").scalarSource(["nope"])).toBeUndefined();
  });
});

describe("locateInString", () => {
  it("is exact in plain scalars", () => {
    const d = load("shell: echo {{ nope }}\n");
    expect(d.locateInString(["shell"], 8, 4)).toMatchObject({ line: 1, column: 16, length: 4 });
  });

  it("is exact in single- and double-quoted scalars", () => {
    const d = load(`a: 'it''s {{ x }}'\nb: "tab\\there {{ y }}"\n`);
    expect(d.locateInString(["a"], 8, 1)).toMatchObject({ line: 1, column: 14 });
    // "tab\there {{ y }}": value offset 12 is `y`; the escape \t takes two source chars.
    expect(d.locateInString(["b"], 12, 1)).toMatchObject({ line: 2, column: 18 });
  });

  it("is exact per line in literal block scalars", () => {
    const d = load("shell: |\n  echo one\n  echo {{ two }}\n");
    expect(d.locateInString(["shell"], 17, 3)).toMatchObject({ line: 3, column: 11, length: 3 });
  });

  it("is exact per line in folded block scalars", () => {
    const d = load("msg: >\n  first line\n  second {{ v }}\n");
    const value = "first line second {{ v }}\n";
    expect(d.value).toEqual({ msg: value });
    expect(d.locateInString(["msg"], value.indexOf("v }"), 1)).toMatchObject({
      line: 3,
      column: 13,
    });
  });

  it("handles multi-line plain scalars", () => {
    const d = load("msg: first\n  second {{ v }}\n");
    expect(d.locateInString(["msg"], 16, 1)).toMatchObject({ line: 2, column: 13 });
  });

  it("falls back to the node for non-strings", () => {
    expect(load("n: 3\n").locateInString(["n"], 0)).toMatchObject({ line: 1, column: 4 });
  });
});
