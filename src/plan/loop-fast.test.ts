/**
 * The loop fast path (loop-fast.ts) gives the steps buildStep gives. The oracle: the
 * same loop with a `when` that reads the item (always true) is built by buildStep in
 * every iteration, and its steps differ from the fast path's only in that `when`.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import type { Plan, PlanStep } from "../model/plan.js";
import { compileFiles } from "../../test/helpers/memory.js";

function planOf(text: string): Plan {
  const r = compileFiles({ "site.yml": text });
  if (!r.ok) throw new Error(JSON.stringify(r.error, null, 2));
  return r.value;
}

const SLOW_WHEN = "item is defined or item is undefined";

/** The loop's steps built by buildStep alone, without the `when` that forced it. */
function slowSteps(playbook: (extra: string) => string): PlanStep[] {
  return planOf(playbook(`    when: ${SLOW_WHEN}\n`)).steps.map((s) => {
    expect(s.when === SLOW_WHEN || s.loop === null).toBe(true);
    return { ...s, when: null };
  });
}

const json = (v: unknown) => JSON.stringify(v);

/** A playbook with one loop step over `items`, its fields written as given. */
const loopPlaybook =
  (items: unknown[], fields: { name: string; cmd: string; env: string; cwd: string | null }) =>
  (extra: string) =>
    [
      "vars:",
      "  pre: pfx",
      "  num: 2.5",
      "  obj: {k: v}",
      "steps:",
      "  - name: before",
      '    shell: "true"',
      `  - name: ${json(fields.name)}`,
      `    shell: ${json(fields.cmd)}`,
      `    env: {E: ${json(fields.env)}, C: const}`,
      ...(fields.cwd === null ? [] : [`    cwd: ${json(fields.cwd)}`]),
      `    creates: ${json(fields.cmd)}`,
      `    with_items: ${json(items)}`,
      // Last, so that it moves no other step's origin.
      extra.trimEnd(),
      "",
    ]
      .filter((l) => l !== "")
      .join("\n");

const templates = fc.constantFrom(
  "step {{ item }}",
  "{{ item }}",
  "{{ index }}/{{ first }}/{{ last }}",
  "constant",
  "{{ pre }}",
  "{{ pre }}-{{ item }}-{{ num }}",
  "{{ obj }} {{ item }}",
  "{{ item | string }}",
  "a {{- item -}} b",
  "{{ item }}{{ item }}",
);

// Strings in `with_items` are templates themselves: the items print braces, never open a tag.
const item = fc.oneof(
  fc.string({ maxLength: 8 }).map((s) => s.replaceAll("{", "(")),
  fc.constantFrom("{ x }}", "%}", "a\nb", "", "é"),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(fc.constantFrom("k", "n"), fc.integer(), { maxKeys: 2 }),
  fc.array(fc.integer(), { maxLength: 2 }),
);

describe("loop fast path", () => {
  test.prop(
    [
      fc.array(item, { minLength: 2, maxLength: 6 }),
      templates,
      templates,
      templates,
      fc.option(templates, { nil: null }),
    ],
    { numRuns: 150 },
  )(
    "gives the steps buildStep gives, for any items and field templates",
    (items, name, cmd, env, cwd) => {
      const playbook = loopPlaybook(items, { name, cmd, env, cwd });
      expect(planOf(playbook("")).steps).toEqual(slowSteps(playbook));
    },
  );

  it("fills in each item, and leaves to buildStep the items it cannot print", () => {
    const plan = planOf(
      '- name: "s {{ item }}"\n  shell: "echo {{ item }} {{ index }}"\n  with_items: [a, 1, {k: v}, [1], true, null, 2.5]\n',
    );
    expect(plan.steps.map((s) => s.name)).toEqual([
      "s a",
      "s 1",
      "s {'k': 'v'}",
      "s [1]",
      "s True",
      "s None",
      "s 2.5",
    ]);
    expect(plan.steps.map((s) => s.args.cmd)).toEqual([
      "echo a 0",
      "echo 1 1",
      "echo {'k': 'v'} 2",
      "echo [1] 3",
      "echo True 4",
      "echo None 5",
      "echo 2.5 6",
    ]);
    expect(plan.steps.map((s) => s.id)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `s[${i}]`));
    expect(plan.steps.slice(1).map((s) => s.needs)).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => [`s[${i}]`]),
    );
  });

  it("keeps an item's own type where the field is exactly '{{ item }}'", () => {
    const plan = planOf('- print:\n    msg: "{{ item }}"\n  with_items: [1, "two", false, [3]]\n');
    expect(plan.steps.map((s) => s.args.msg)).toEqual([1, "two", false, [3]]);
  });

  it("shares the unchanging records of the iterations, frozen, and never their own", () => {
    const plan = planOf('- shell: "echo {{ item }}"\n  env: {A: b}\n  with_items: [1, 2, 3]\n');
    const [a, b] = plan.steps as [PlanStep, PlanStep];
    for (const k of ["exec", "origin", "deferred", "compensate", "notify"] as const) {
      expect(b[k]).toBe(a[k]);
      expect(Object.isFrozen(a[k])).toBe(true);
    }
    expect(Object.isFrozen(a.exec.env)).toBe(true);
    expect(b.args).not.toBe(a.args);
    expect(b.needs).not.toBe(a.needs);
  });

  it("gives each iteration its own handlers and compensations", () => {
    const plan = planOf(
      [
        "steps:",
        '  - name: "s {{ item }}"',
        '    shell: "echo {{ item }}"',
        "    notify: h",
        "    compensate:",
        '      - shell: "undo"',
        "    with_items: [1, 2]",
        "handlers:",
        "  - name: h",
        '    shell: "true"',
        "",
      ].join("\n"),
    );
    const loop = plan.steps.filter((s) => s.loop !== null);
    expect(loop.map((s) => s.notify)).toEqual([["h"], ["h"]]);
    expect(loop.map((s) => s.compensate)).toEqual([["undo-s-1"], ["undo-s-2"]]);
    expect(loop[0]!.compensate).not.toBe(loop[1]!.compensate);
  });

  it("decides a `when` that reads the item per iteration", () => {
    const plan = planOf(
      '- name: "s {{ item }}"\n  shell: "true"\n  when: item > 1\n  with_items: [1, 2, 3]\n',
    );
    expect(plan.steps.map((s) => s.skipped?.reason ?? null)).toEqual([
      "when: item > 1 is false",
      null,
      null,
    ]);
  });
});
