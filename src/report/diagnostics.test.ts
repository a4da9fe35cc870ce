import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../model/index.js";
import { formatDiagnostic, formatDiagnostics } from "./diagnostics.js";

const SOURCES: Record<string, string> = {
  "tasks/setup.yml": `${"# line\n".repeat(11)}  comand: ls\n`,
  "tabs.yml": "a:\n\tx:\tvalue\n",
};
const lookup = (path: string): string | undefined => SOURCES[path];

const unknownKey: Diagnostic = {
  severity: "error",
  code: "unknown-key",
  message: "unknown field 'comand'",
  pos: { file: "tasks/setup.yml", line: 12, column: 3, length: 6 },
  hint: "did you mean 'command'?",
  chain: [{ file: "site.yml", line: 7, column: 3 }],
};

describe("formatDiagnostic", () => {
  it("prints place, source line, underline, hint and include chain", () => {
    expect(formatDiagnostic(unknownKey, lookup, { color: false })).toBe(
      [
        "tasks/setup.yml:12:3: error: unknown field 'comand'",
        "  12 |   comand: ls",
        "     |   ^~~~~~",
        "  hint: did you mean 'command'?",
        "  included from site.yml:7:3",
      ].join("\n"),
    );
  });

  it("prints only the first line and the hint without a source", () => {
    const d: Diagnostic = { ...unknownKey, chain: [] };
    expect(formatDiagnostic(d, () => undefined, { color: false })).toBe(
      "tasks/setup.yml:12:3: error: unknown field 'comand'\n  hint: did you mean 'command'?",
    );
  });

  it("prints a diagnostic without a place", () => {
    const d: Diagnostic = { severity: "warning", code: "x", message: "no playbook given" };
    expect(formatDiagnostic(d, lookup, { color: false })).toBe("warning: no playbook given");
  });

  it("expands tabs and keeps the underline under the right characters", () => {
    const d: Diagnostic = {
      severity: "error",
      code: "type",
      message: "bad",
      pos: { file: "tabs.yml", line: 2, column: 5, length: 5 },
    };
    const [, line, underline] = formatDiagnostic(d, lookup, { color: false }).split("\n");
    expect(line).toBe("  2 |     x:  value");
    expect(underline).toBe("    |         ^~~~~");
  });

  it("clamps an underline that runs past the end of the line", () => {
    const d: Diagnostic = {
      ...unknownKey,
      pos: { file: "tasks/setup.yml", line: 12, column: 12, length: 40 },
    };
    expect(formatDiagnostic(d, lookup, { color: false }).split("\n")[2]).toBe(
      "     |            ^",
    );
  });

  it("lists nested include sites innermost first", () => {
    const d: Diagnostic = {
      ...unknownKey,
      chain: [
        { file: "site.yml", line: 7, column: 3 },
        { file: "tasks/main.yml", line: 2, column: 5 },
      ],
    };
    expect(formatDiagnostic(d, lookup, { color: false }).split("\n").slice(-2)).toEqual([
      "  included from tasks/main.yml:2:5",
      "  included from site.yml:7:3",
    ]);
  });

  it("colors only when asked", () => {
    const plain = formatDiagnostic(unknownKey, lookup, { color: false });
    const colored = formatDiagnostic(unknownKey, lookup, { color: true });
    expect(plain).not.toContain("\u001b[");
    // styleText honours NO_COLOR/FORCE_COLOR in newer Node versions; compare without escapes.
    expect(colored.replace(/\u001b\[[0-9;]*m/g, "")).toBe(plain);
  });
});

describe("formatDiagnostics", () => {
  it("separates diagnostics with a blank line", () => {
    const d: Diagnostic = { severity: "error", code: "x", message: "m" };
    expect(formatDiagnostics([d, d], lookup, { color: false })).toBe("error: m\n\nerror: m");
  });
});
