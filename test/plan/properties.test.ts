/** Property tests of the pure planner (fast-check): determinism, ids, DAG shape, origins, id stability. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { Plan } from "../../src/model/plan.js";
import { compileFiles } from "../helpers/memory.js";

const names = fc.constantFrom(
  "Install",
  "Configure",
  "Start service",
  "Check",
  "Deploy app",
  "Clean up",
);
const step = fc.record(
  {
    name: names,
    shell: fc.constantFrom("true", "echo hi", "echo {{ os }}"),
    with_items: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 3 }),
    tags: fc.array(fc.constantFrom("a", "b"), { maxLength: 2 }),
  },
  { requiredKeys: ["shell"] },
);
const playbook = fc.array(step, { minLength: 1, maxLength: 12 });

function plan(steps: unknown[]): Plan {
  const r = compileFiles({ "site.yml": stringify(steps) });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

describe("planner properties", () => {
  // Planning is deterministic: the same playbook always gives the same bytes.
  it("is deterministic", () => {
    fc.assert(
      fc.property(playbook, (steps) => {
        expect(JSON.stringify(plan(steps))).toBe(JSON.stringify(plan(steps)));
      }),
      { numRuns: 60 },
    );
  });

  // Step ids are unique within a plan.
  it("gives unique ids", () => {
    fc.assert(
      fc.property(playbook, (steps) => {
        const ids = plan(steps).steps.map((s) => s.id);
        expect(new Set(ids).size).toBe(ids.length);
      }),
      { numRuns: 60 },
    );
  });

  // `needs` forms a DAG whose order respects the source order of a sequential list:
  // each step needs exactly the step written before it, and seq follows the document.
  it("chains a sequential list in source order", () => {
    fc.assert(
      fc.property(playbook, (steps) => {
        const p = plan(steps);
        p.steps.forEach((s, i) => {
          expect(s.seq).toBe(i + 1);
          expect(s.needs).toEqual(i === 0 ? [] : [p.steps[i - 1]!.id]);
        });
      }),
      { numRuns: 60 },
    );
  });

  // Every step's origin points at a real line, at the first key of that step's mapping.
  it("points origins at real lines", () => {
    fc.assert(
      fc.property(playbook, (steps) => {
        const text = stringify(steps);
        const lines = text.split("\n");
        for (const s of plan(steps).steps) {
          const line = lines[s.origin.line - 1];
          expect(line).toBeDefined();
          expect(line!.slice(s.origin.column - 1)).toMatch(/^(name|shell|with_items|tags):/);
          expect(line!.slice(0, s.origin.column - 1)).toMatch(/^- $/);
        }
      }),
      { numRuns: 60 },
    );
  });

  // Inserting a step with a new name anywhere does not change the id of any other step.
  it("keeps ids stable when an unrelated step is inserted", () => {
    fc.assert(
      fc.property(playbook, fc.nat(), (steps, at) => {
        const before = plan(steps).steps.map((s) => s.id);
        const pos = at % (steps.length + 1);
        const inserted = [
          ...steps.slice(0, pos),
          { name: "A brand new step", shell: "true" },
          ...steps.slice(pos),
        ];
        const after = plan(inserted).steps.map((s) => s.id);
        expect(after.filter((id) => id !== "a-brand-new-step")).toEqual(before);
      }),
      { numRuns: 60 },
    );
  });

  // Facts are looked up lazily: only those an expression reads end up in the plan.
  it("records only the facts used", () => {
    const p = plan([{ shell: "echo {{ arch }}" }, { shell: "true", when: "os == 'linux'" }]);
    expect(Object.keys(p.facts.local ?? {})).toEqual(["arch", "os"]);
  });
});
