import { describe, expect, it } from "vitest";
import { parseYaml } from "./parse.js";
import type { LoadedDoc } from "./types.js";

function load(text: string): LoadedDoc {
  const r = parseYaml({ path: "site.yml", text });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

function errors(text: string) {
  const r = parseYaml({ path: "site.yml", text });
  if (r.ok) throw new Error("expected a YAML error");
  return r.error;
}

describe("parseYaml values", () => {
  it("returns plain JS values", () => {
    expect(load("- name: a\n  shell: ls\n").value).toEqual([{ name: "a", shell: "ls" }]);
  });

  it("reads an empty file (or only comments) as null", () => {
    expect(load("").value).toBeNull();
    expect(load("# nothing\n").value).toBeNull();
  });

  it("keeps YAML 1.2: yes/no are strings, 0644 is decimal, 0o644 octal", () => {
    expect(load("a: yes\nb: no\nc: 0644\nd: 0o644\n").value).toEqual({
      a: "yes",
      b: "no",
      c: 644,
      d: 0o644,
    });
  });

  it("resolves anchors, aliases and merge keys", () => {
    const doc = load("base: &b {become: true, cwd: /tmp}\nstep:\n  <<: *b\n  cwd: /srv\n");
    expect(doc.value).toEqual({
      base: { become: true, cwd: "/tmp" },
      step: { become: true, cwd: "/srv" },
    });
  });
});

describe("parseYaml errors", () => {
  it("reports a duplicate key at the second key", () => {
    expect(errors("a: 1\nb: 2\na: 3\n")).toEqual([
      {
        severity: "error",
        code: "yaml",
        message: "duplicate key 'a'",
        pos: { file: "site.yml", line: 3, column: 1, length: 1 },
      },
    ]);
  });

  it("explains an unquoted {{ template }} value", () => {
    const [d] = errors("- shell: echo {{ item }}\n  with_items: {{ items }}\n");
    expect(d).toMatchObject({
      code: "yaml",
      pos: { line: 2, column: 15 },
      hint: 'write "{{ items }}" (in quotes)',
    });
  });

  it("reports tabs used as indentation", () => {
    const [d] = errors("a:\n\tb: 1\n");
    expect(d?.message).toMatch(/tabs/);
    expect(d?.pos).toMatchObject({ line: 2, column: 1 });
  });

  it("reports an unterminated quote", () => {
    const [d] = errors('a: "foo\n');
    expect(d?.message).toBe("unterminated quoted string");
    expect(d?.pos).toMatchObject({ line: 1, column: 4 });
  });

  it("refuses a second document", () => {
    const [d] = errors("a: 1\n---\nb: 2\n");
    expect(d?.message).toMatch(/one YAML document/);
    expect(d?.pos?.line).toBe(2);
  });

  it("reports an alias to an unknown anchor at the alias", () => {
    expect(errors("a: 1\nb: *nope\n")[0]).toMatchObject({
      code: "yaml",
      message: expect.stringMatching(/unknown anchor 'nope'/),
      pos: { line: 2, column: 4, length: 5 },
    });
  });

  it("keeps one error per line, in line order", () => {
    const ds = errors("- a\nb: 1\n");
    expect(ds.map((d) => d.pos?.line)).toEqual([...new Set(ds.map((d) => d.pos?.line))]);
    expect(ds.every((d) => d.code === "yaml")).toBe(true);
  });
});

describe("plain values containing ': '", () => {
  it("reads them as strings with a warning at the value", () => {
    const r = parseYaml({ path: "t.yml", text: '- name: a\n  shell: echo "tools: a, b"\n' });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.value).toEqual([{ name: "a", shell: 'echo "tools: a, b"' }]);
    expect(r.value.warnings).toEqual([
      {
        severity: "warning",
        code: "yaml",
        message: "a plain value cannot contain ': '; read as a string (quote it)",
        pos: { file: "t.yml", line: 2, column: 10, length: 18 },
      },
    ]);
  });

  it("does not rewrite anything else", () => {
    expect(errors("a: [b: c\n")[0]?.code).toBe("yaml");
    expect(errors("a: b: c # note\n")[0]?.code).toBe("yaml");
  });
});

describe("plain values containing ': ' and a template", () => {
  it("are read like those without one: as strings, with the same warning", () => {
    const r = parseYaml({ path: "t.yml", text: '- shell: echo "a: {{ b }}"\n  name: x\n' });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.value).toEqual([{ shell: 'echo "a: {{ b }}"', name: "x" }]);
    expect(r.value.warnings.map((w) => [w.severity, w.pos?.line, w.pos?.column])).toEqual([
      ["warning", 1, 10],
    ]);
  });
});

describe("quoted values whose continuation lines are not indented past the key", () => {
  it("are read as PyYAML and yaml.v3 read them, and later lines keep their numbers", () => {
    const text =
      '- name: x\n  print: "hello\nworld, \\"you\\"\n   and more"\n- name: y\n  name: z\n';
    const ds = errors(text);
    expect(ds.map((d) => [d.message, d.pos?.line])).toEqual([["duplicate key 'name'", 6]]);
    const ok = load(text.replace("  name: z\n", "  shell: 'it''s\nok'\n"));
    expect(ok.value).toEqual([
      { name: "x", print: 'hello world, "you" and more' },
      { name: "y", shell: "it's ok" },
    ]);
    expect(ok.locate([1, "shell"]).line).toBe(6);
  });

  it("leaves block scalars alone", () => {
    const text = '- shell: |\n    echo "a\n  name: "b\nc"\n';
    expect(load(text).value).toEqual([{ shell: 'echo "a\n', name: "b c" }]);
  });
});
