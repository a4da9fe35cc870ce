import { describe, expect, it } from "vitest";
import { MAX_YAML_CHARS, MAX_YAML_DEPTH } from "./limits.js";
import { parseYaml } from "./parse.js";

function errors(text: string) {
  const r = parseYaml({ path: "site.yml", text });
  if (r.ok) throw new Error("expected a YAML error");
  return r.error;
}

function loads(text: string): unknown {
  const r = parseYaml({ path: "site.yml", text });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value.value;
}

/** `k:` nested `depth` levels, each two spaces deeper, with a value at the bottom. */
const blockNest = (depth: number): string =>
  Array.from({ length: depth }, (_, i) => `${"  ".repeat(i)}k:\n`).join("") +
  `${"  ".repeat(depth)}v\n`;

describe("YAML nesting limit", () => {
  // Before: 3,000 levels overflowed the stack in the yaml parser (exit 3, RangeError).
  it("refuses a block mapping nested 3,000 levels with a located error", () => {
    const [d] = errors(blockNest(3000));
    expect(d?.message).toBe(`YAML nested too deeply (more than ${MAX_YAML_DEPTH} levels)`);
    expect(d?.pos).toMatchObject({ line: MAX_YAML_DEPTH + 1, column: 2 * MAX_YAML_DEPTH + 1 });
  });

  // Before: at 1,000 levels the message blamed aliases.
  it("never blames aliases for deep nesting", () => {
    const [d] = errors(blockNest(1000));
    expect(d?.message).not.toMatch(/alias/);
    expect(d?.message).toMatch(/nested too deeply/);
  });

  it("counts block sequences, flow sequences and flow mappings", () => {
    expect(errors(`${"- ".repeat(5000)}x\n`)[0]?.message).toMatch(/nested too deeply/);
    const [seq] = errors(`a: ${"[".repeat(5000)}${"]".repeat(5000)}\n`);
    expect(seq?.message).toMatch(/nested too deeply/);
    expect(seq?.pos).toMatchObject({ line: 1, column: 4 + MAX_YAML_DEPTH - 1 });
    const [map] = errors(`a: ${"{a: ".repeat(5000)}1${"}".repeat(5000)}\n`);
    expect(map?.message).toMatch(/nested too deeply/);
  });

  it("loads nesting up to the limit, and ignores brackets in strings, comments and block scalars", () => {
    expect(loads(blockNest(MAX_YAML_DEPTH - 1))).toBeTypeOf("object");
    const many = "[".repeat(500);
    expect(
      loads(`a: "${many}"\nb: '${many}'\nc: x${many}\n# ${many}\nd: |\n  ${many}\n    ---\n`),
    ).toMatchObject({ a: many, b: many, c: `x${many}` });
  });
});

describe("YAML size and document limits", () => {
  it("refuses a file over the size limit before parsing it", () => {
    const [d] = errors(`a: "${"x".repeat(MAX_YAML_CHARS)}"\n`);
    expect(d?.message).toMatch(/file too large to load \(16\.0 MiB; the limit is 16 MiB\)/);
    expect(d?.pos).toMatchObject({ line: 1, column: 1 });
  });

  it("finds a second document after a large first one, at its marker", () => {
    const body = `      ${"y".repeat(100)}\n`.repeat(20_000);
    const [d] = errors(`- shell: ls\n  vars:\n    x: |\n${body}---\n- shell: ls\n`);
    expect(d?.message).toMatch(/one YAML document; found a second one/);
    expect(d?.pos).toMatchObject({ line: 20_004, column: 1, length: 3 });
  });

  it("accepts a leading document marker and directives", () => {
    expect(loads("%YAML 1.2\n---\n- a\n")).toEqual(["a"]);
    expect(loads("# c\n---\n- a\n...\n")).toEqual(["a"]);
  });
});
