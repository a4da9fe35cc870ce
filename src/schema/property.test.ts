// Properties of validation over generated playbooks.
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { problems } from "./test-helpers.js";

const FIELDS = ["name", "when", "register", "cwd", "creates", "unless", "become_user"] as const;

/** A misspelling of `key` no valid field has: a doubled letter. */
const misspell = (key: string, at: number): string => {
  const i = at % key.length;
  return `${key.slice(0, i + 1)}${key[i]}${key.slice(i + 1)}`;
};

const step = fc.record({
  fields: fc.uniqueArray(fc.constantFrom(...FIELDS), { maxLength: 4 }),
  value: fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/),
});

// For any playbook with exactly one misspelled key, the only error is an unknown-key
// error on the line of that key, at its column, with a hint naming the intended key.
test.prop([fc.array(step, { minLength: 1, maxLength: 8 }), fc.nat(), fc.nat(), fc.boolean()])(
  "an unknown key is reported at its line",
  (steps, which, at, mappingForm) => {
    const target = which % steps.length;
    const indent = mappingForm ? "    " : "  ";
    const lines: string[] = mappingForm ? ["steps:"] : [];
    let expectedLine = 0;
    let wrong = "";
    steps.forEach((s, i) => {
      lines.push(`${indent.slice(2)}- shell: echo ${i}`);
      for (const field of s.fields) lines.push(`${indent}${field}: ${s.value}`);
      if (i === target) {
        const key = FIELDS[at % FIELDS.length]!;
        wrong = misspell(key, at);
        lines.push(`${indent}${wrong}: ${s.value}`);
        expectedLine = lines.length;
      }
    });
    const ds = problems(lines.join("\n"));
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({
      code: "unknown-key",
      message: `unknown field '${wrong}'`,
      pos: { line: expectedLine, column: indent.length + 1, length: wrong.length },
    });
    expect(ds[0]?.hint).toMatch(/^did you mean '/);
  },
);
