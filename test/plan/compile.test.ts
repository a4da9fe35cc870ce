/** The planner through its public entry point: expansion, binding model, ids, edges, sources. */
import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/model/plan.js";
import { compileFiles } from "../helpers/memory.js";

function planOf(files: Record<string, string>, options = {}): Plan {
  const r = compileFiles(files, options);
  if (!r.ok) throw new Error(JSON.stringify(r.error, null, 2));
  return r.value;
}

describe("compile", () => {
  it("expands with_items into one step per item with loop context and [index] ids", () => {
    const plan = planOf({
      "site.yml": `- vars:\n    pkgs: [git, curl]\n- name: Install\n  shell: echo {{ item }}\n  with_items: "{{ pkgs }}"\n`,
    });
    expect(plan.steps.map((s) => s.id)).toEqual(["install[0]", "install[1]"]);
    expect(plan.steps.map((s) => s.args.cmd)).toEqual(["echo git", "echo curl"]);
    expect(plan.steps[1]!.loop).toEqual({
      type: "with_items",
      item: "curl",
      index: 1,
      first: false,
      last: true,
    });
    expect(plan.steps[1]!.needs).toEqual(["install[0]"]);
  });

  it("accepts inline lists in with_items", () => {
    const plan = planOf({ "site.yml": `- shell: echo {{ item }}\n  with_items: [a, b, c]\n` });
    expect(plan.steps.map((s) => s.args.cmd)).toEqual(["echo a", "echo b", "echo c"]);
  });

  it("defers a field that reads a registered result, and renders the rest at plan time", () => {
    const plan = planOf({
      "site.yml": `- name: first\n  shell: echo hi\n  register: r\n- name: second\n  shell: echo {{ r.stdout }} on {{ os }}\n  when: r.rc == 0\n`,
    });
    const second = plan.steps[1]!;
    expect(second.deferred["args.cmd"]).toEqual({
      template: "echo {{ r.stdout }} on {{ os }}",
      needs: ["r"],
    });
    expect(second.when).toBe("r.rc == 0");
    expect(second.skipped).toBeNull();
    expect(plan.facts.local).toEqual({ os: "linux" });
  });

  it("decides a plan-time when and marks the step skipped with the reason", () => {
    const plan = planOf({
      "site.yml": `- name: mac\n  shell: echo mac\n  when: os == "darwin"\n- name: linux\n  shell: echo linux\n  when: os == "linux"\n`,
    });
    expect(plan.steps[0]!.skipped).toEqual({ reason: 'when: os == "darwin" is false' });
    expect(plan.steps[1]!.skipped).toBeNull();
  });

  it("includes files relative to the including file, with origins and the include chain", () => {
    const plan = planOf({
      "site.yml": `- name: Setup\n  include: tasks/setup.yml\n`,
      "tasks/setup.yml": `- name: inner\n  include: more/base.yml\n`,
      "tasks/more/base.yml": `- name: base step\n  shell: echo base\n`,
    });
    const step = plan.steps[0]!;
    expect(step.origin).toEqual({
      file: "tasks/more/base.yml",
      line: 1,
      column: 3,
      chain: [
        { file: "site.yml", line: 1, column: 3 },
        { file: "tasks/setup.yml", line: 1, column: 3 },
      ],
    });
    expect(plan.sources.map((s) => s.path)).toEqual([
      "site.yml",
      "tasks/more/base.yml",
      "tasks/setup.yml",
    ]);
  });

  it("reports an include cycle with the whole chain", () => {
    const r = compileFiles({
      "site.yml": `- include: a.yml\n`,
      "a.yml": `- include: b.yml\n`,
      "b.yml": `- include: a.yml\n`,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error[0]!.code).toBe("include-cycle");
    expect(r.error[0]!.message).toContain("site.yml → a.yml → b.yml → a.yml");
    expect(r.error[0]!.pos).toMatchObject({ file: "b.yml", line: 1 });
  });

  // Before: with_items over range(10**6) planned for minutes and gigabytes.
  it("refuses a loop over more items than the limit, at the loop", () => {
    const r = compileFiles({
      "site.yml": '- shell: "echo {{ item }}"\n  with_items: "{{ range(10**6) }}"\n',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error[0]).toMatchObject({
      code: "loop-size",
      message:
        "with_items gives 1,000,000 items; a plan expands at most 100,000 iterations of one loop",
      pos: { file: "site.yml", line: 2, column: 15 },
    });
  });

  it("refuses a plan over the step limit once, where it would grow past it", () => {
    const r = compileFiles(
      {
        "site.yml": '- include: inc.yml\n  with_items: "{{ range(3000) }}"\n',
        "inc.yml": "- shell: a\n- shell: b\n- shell: c\n- shell: d\n",
      },
      { limits: { steps: 10_000 } },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.map((d) => d.code)).toEqual(["plan-size"]);
    expect(r.error[0]).toMatchObject({
      message: "the plan would have more than 10,000 steps",
      pos: { file: "site.yml", line: 1 },
    });
  });

  // Before: a chain of 3,000 included files overflowed the stack (exit 3).
  it("refuses includes nested deeper than the limit, at the include", () => {
    const files: Record<string, string> = { "site.yml": "- include: f0.yml\n" };
    for (let i = 0; i < 3000; i++) files[`f${i}.yml`] = `- include: f${i + 1}.yml\n`;
    files["f3000.yml"] = "- shell: ls\n";
    const r = compileFiles(files);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error[0]).toMatchObject({
      code: "include-depth",
      message: "includes nested more than 64 deep",
      pos: { file: "f62.yml", line: 1, column: 12 },
    });
  });

  it("reports an undefined variable at the exact character inside the expression", () => {
    const r = compileFiles({ "site.yml": `- name: x\n  shell: "echo {{ nope }}"\n` });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error[0]).toMatchObject({
      code: "undefined-variable",
      pos: { file: "site.yml", line: 2, column: 19 },
    });
  });

  it("refuses an include_vars whose when reads a runtime value, and says why", () => {
    const r = compileFiles({
      "site.yml": `- shell: echo x\n  register: r\n- include_vars: v.yml\n  when: r.rc == 0\n`,
      "v.yml": "a: 1\n",
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error[0]!.code).toBe("runtime-when");
    expect(r.error[0]!.message).toContain("'r'");
  });

  it("does not leak an include's vars to its parent unless export: true", () => {
    const files = {
      "site.yml": `- include: inner.yml\n- shell: echo {{ x | default('unset') }}\n`,
      "inner.yml": `- vars:\n    x: inner\n- shell: echo {{ x }}\n`,
    };
    expect(planOf(files).steps.map((s) => s.args.cmd)).toEqual(["echo inner", "echo unset"]);
    const exported = {
      ...files,
      "inner.yml": `- vars:\n    x: inner\n  export: true\n- shell: echo {{ x }}\n`,
    };
    expect(planOf(exported).steps.map((s) => s.args.cmd)).toEqual(["echo inner", "echo inner"]);
  });

  it("gives command-line vars precedence over vars steps", () => {
    const plan = planOf(
      { "site.yml": `- vars:\n    env: dev\n- shell: echo {{ env }}\n` },
      { cliVars: { env: "prod" } },
    );
    expect(plan.steps[0]!.args.cmd).toBe("echo prod");
  });

  it("filters by tags, with always and never, and inherits tags through include", () => {
    const files = {
      "site.yml": `- name: a\n  shell: echo a\n  tags: [dev]\n- name: b\n  shell: echo b\n- name: c\n  shell: echo c\n  tags: [always]\n- name: d\n  shell: echo d\n  tags: [never, debug]\n- name: e\n  include: e.yml\n  tags: [dev]\n`,
      "e.yml": `- name: inner\n  shell: echo e\n`,
    };
    const skipped = (p: Plan) => p.steps.filter((s) => s.skipped !== null).map((s) => s.id);
    expect(skipped(planOf(files))).toEqual(["d"]);
    expect(skipped(planOf(files, { tags: ["dev"] }))).toEqual(["b", "d"]);
    expect(skipped(planOf(files, { tags: ["debug"] }))).toEqual(["a", "b", "inner"]);
    expect(skipped(planOf(files, { skipTags: ["dev"] }))).toEqual(["a", "d", "inner"]);
  });

  it("runs parallel children without edges among them, and the next step needs all of them", () => {
    const plan = planOf({
      "site.yml": `- name: first\n  shell: "true"\n- parallel:\n    - name: p1\n      shell: "true"\n    - name: p2\n      shell: "true"\n- name: last\n  shell: "true"\n`,
    });
    const byId = Object.fromEntries(plan.steps.map((s) => [s.id, s.needs]));
    expect(byId).toEqual({ first: [], p1: ["first"], p2: ["first"], last: ["p1", "p2"] });
  });

  it("adds explicit needs and orders seq topologically", () => {
    const plan = planOf({
      "site.yml": `- parallel:\n  - name: a\n    shell: "true"\n    needs: [c]\n  - name: b\n    shell: "true"\n  - name: c\n    id: c\n    shell: "true"\n`,
    });
    const seq = Object.fromEntries(plan.steps.map((s) => [s.id, s.seq]));
    expect(seq.c).toBeLessThan(seq.a!);
    expect(plan.steps.map((s) => s.id)).toEqual(["b", "c", "a"]);
    expect(plan.steps.find((s) => s.id === "a")!.needs).toEqual(["c"]);
  });

  it("reports a needs cycle with the ids that form it, at the needs field", () => {
    const r = compileFiles({
      "site.yml": `- name: a\n  shell: "true"\n  needs: [c]\n- name: c\n  shell: "true"\n`,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error[0]).toMatchObject({ code: "needs-cycle", pos: { file: "site.yml", line: 3 } });
    expect(r.error[0]!.message).toContain("a → c → a");
  });

  it("derives ids from names, with a suffix only for duplicates", () => {
    const plan = planOf({
      "site.yml": `- name: Install Git!\n  shell: "true"\n- name: Install Git!\n  shell: "true"\n- shell: "true"\n`,
    });
    expect(plan.steps.map((s) => s.id)).toEqual(["install-git", "install-git-2", "shell-site-yml"]);
  });

  it("keeps paths relative to the root playbook and reads template sources", () => {
    const plan = planOf({
      "site.yml": `- include: roles/web/main.yml\n`,
      "roles/web/main.yml": `- template:\n    src: templates/a.j2\n    dest: /tmp/a\n`,
      "roles/web/templates/a.j2": "hello {{ os }}\n",
    });
    expect(plan.steps[0]!.args.src).toBe("roles/web/templates/a.j2");
    expect(plan.sources.map((s) => s.path)).toContain("roles/web/templates/a.j2");
  });

  it("expands with_filetree in sorted order with item.src/path/name/is_dir", () => {
    const plan = planOf({
      "site.yml": `- name: copy {{ item.name }}\n  shell: echo {{ item.path }} {{ item.is_dir }}\n  with_filetree: files\n`,
      "files/b.txt": "b",
      "files/a/x.txt": "x",
    });
    expect(plan.steps.map((s) => s.args.cmd)).toEqual([
      "echo /a True",
      "echo /a/x.txt False",
      "echo /b.txt False",
    ]);
    expect((plan.steps[2]!.loop!.item as { src: string }).src).toBe("files/b.txt");
  });

  it("computes policies: mooncake retries, full retry, timeout", () => {
    const plan = planOf({
      "site.yml": `- shell: "true"\n  retries: 3\n  retry_delay: 2s\n  timeout: 5s\n- shell: "true"\n  retry: {attempts: 5, delay: 1s, backoff: 2, max_delay: 10s}\n  ignore_errors: true\n`,
    });
    expect(plan.steps[0]!.policy).toMatchObject({
      timeout_ms: 5000,
      retry: { attempts: 4, delay_ms: 2000, backoff: 1 },
    });
    expect(plan.steps[1]!.policy).toMatchObject({
      ignore_errors: true,
      retry: { attempts: 5, delay_ms: 1000, backoff: 2, max_delay_ms: 10000 },
    });
  });

  it("puts output_limit (in bytes) and register_full in the policy", () => {
    const plan = planOf({
      "site.yml": `- shell: "true"\n  output_limit: 1MiB\n  register_full: true\n- shell: "true"\n  output_limit: 4096\n- shell: "true"\n`,
    });
    expect(plan.steps.map((s) => [s.policy.output_limit, s.policy.register_full])).toEqual([
      [1024 * 1024, true],
      [4096, false],
      [null, false],
    ]);
  });

  it("is byte-for-byte deterministic and holds no absolute path of the machine", () => {
    const files = {
      "site.yml": `- vars: {a: 1}\n- shell: echo {{ a }} {{ hostname }}\n  with_items: [x, y]\n`,
    };
    const a = JSON.stringify(planOf(files));
    const b = JSON.stringify(planOf(files));
    expect(a).toBe(b);
    expect(a).not.toContain(process.cwd());
  });

  it("lets a user id win over an id derived from a name, moving the derived one", () => {
    const plan = planOf({
      "site.yml": `- name: Install git\n  shell: "true"\n- name: next\n  shell: "true"\n- id: install-git\n  shell: "true"\n`,
    });
    expect(plan.steps.map((s) => s.id)).toEqual(["install-git-2", "next", "install-git"]);
    expect(plan.steps[1]!.needs).toEqual(["install-git-2"]);
  });

  it("reports two equal user ids at the second id", () => {
    const r = compileFiles({ "site.yml": `- id: a\n  shell: "true"\n- id: a\n  shell: "true"\n` });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error[0]).toMatchObject({ code: "duplicate-id", pos: { line: 3, column: 7 } });
  });

  it("accepts a bare expression in with_items", () => {
    const plan = planOf({
      "site.yml": `- vars:\n    users: [a, b]\n- shell: echo {{ item }}\n  with_items: users | reverse | list\n`,
    });
    expect(plan.steps.map((s) => s.args.cmd)).toEqual(["echo b", "echo a"]);
  });

  it("gives the steps of a looped include [index] ids and the iteration's loop context", () => {
    const plan = planOf({
      "site.yml": `- include: body.yml\n  with_items: [x, y]\n`,
      "body.yml": `- name: Loop body\n  shell: echo {{ item }}\n- name: second\n  shell: "true"\n`,
    });
    expect(plan.steps.map((s) => s.id)).toEqual([
      "loop-body[0]",
      "second[0]",
      "loop-body[1]",
      "second[1]",
    ]);
    expect(plan.steps[2]!.loop).toMatchObject({ type: "with_items", item: "y", index: 1 });
    expect(plan.steps[2]!.args.cmd).toBe("echo y");
  });

  it("reads numeric modes by their source: 0644 and 0o644 both mean rw-r--r--", () => {
    const plan = planOf({
      "site.yml": `- file: {path: /tmp/a, state: touch, mode: 0644}\n- file: {path: /tmp/b, state: touch, mode: 0o644}\n`,
    });
    expect(plan.steps.map((s) => s.args.mode)).toEqual(["0644", "0644"]);
  });

  it("reports a syntax error in a template file at its line in that file", () => {
    const r = compileFiles({
      "site.yml": `- template:\n    src: t.j2\n    dest: /tmp/t\n`,
      "t.j2": "line one\n{% if x %}\nno end\n",
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error[0]).toMatchObject({
      pos: { file: "t.j2" },
      chain: [{ file: "site.yml", line: 1 }],
    });
  });

  it("checks fields that wait for a runtime value: unknown names and filters are plan errors", () => {
    const r = compileFiles({
      "site.yml": `- shell: echo hi\n  register: r\n- shell: echo "{{ r.stdout }} {{ nope }}"\n  when: r.rc == 0 and nope2\n- shell: echo\n  failed_when: result.rc != 0 and later.rc\n- shell: echo "{{ r.stdout | uper }}"\n- shell: echo\n  register: later\n`,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.map((d) => [d.pos?.line, d.pos?.column, d.message.split(":")[0]])).toEqual([
      [3, 34, "in 'args.cmd'"],
      [4, 23, "in 'when'"],
      [6, 35, "in 'failed_when'"],
      [7, 30, "in 'args.cmd'"],
    ]);
  });

  it("accepts guarded reads and the step's own result in changed_when", () => {
    const plan = planOf({
      "site.yml": `- shell: echo hi\n  register: r\n- shell: echo "{{ r.stdout }} {{ x | default(1) }}"\n  when: r is succeeded and (y is not defined or y)\n  register: own\n  changed_when: result.rc == 0 and own.rc == 0\n`,
    });
    expect(plan.steps[1]!.deferred["args.cmd"]!.needs).toEqual(["r"]);
  });

  it('reads when: "{{ expr }}" as the bare expression', () => {
    const plan = planOf({ "site.yml": `- shell: echo hi\n  when: "{{ os == 'darwin' }}"\n` });
    expect(plan.steps[0]!.skipped).toEqual({ reason: "when: os == 'darwin' is false" });
    expect(plan.steps[0]!.when).toBe("os == 'darwin'");
  });

  it("records only the facts read through the facts namespace", () => {
    const plan = planOf({ "site.yml": `- print: "{{ facts.os }} {{ facts['arch'] }}"\n` });
    expect(Object.keys(plan.facts.local ?? {})).toEqual(["arch", "os"]);
    const whole = planOf({ "site.yml": `- print: "{{ facts | length }}"\n` });
    expect(Object.keys(whole.facts.local ?? {}).length).toBeGreaterThan(5);
  });

  it("reports a user id equal to a loop iteration's id at that id", () => {
    const r = compileFiles({
      "site.yml": `- name: loop\n  shell: "true"\n  with_items: [1]\n- id: "loop[0]"\n  shell: "true"\n`,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error[0]).toMatchObject({ code: "duplicate-id", pos: { line: 4 } });
  });

  it("reports a mistake inside a loop once, with a did-you-mean for a misspelled variable", () => {
    const r = compileFiles({
      "site.yml": `- vars:\n    item_list: [1]\n- print: "{{ itme }} {{ item_lst }}"\n  with_items: [a, b, c]\n`,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toHaveLength(1);
    expect(r.error[0]!.hint).toBe("did you mean 'item'?");
  });

  it("reports an include path that cannot be rendered once, not again as not found", () => {
    const r = compileFiles({ "site.yml": `- include: "tasks/{{ nope }}.yml"\n` });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.map((d) => d.code)).toEqual(["undefined-variable"]);
  });

  it("names blocks and parallel groups stably", () => {
    const body = `- name: Guard\n  block:\n    - shell: "true"\n- parallel:\n    - shell: "true"\n  max: 1\n`;
    const a = planOf({ "site.yml": body });
    const b = planOf({ "site.yml": `- name: other\n  block:\n    - shell: "true"\n${body}` });
    expect(a.blocks.map((x) => x.id)).toEqual(["block-guard"]);
    expect(b.blocks.map((x) => x.id)).toEqual(["block-other", "block-guard"]);
    expect(a.steps[1]!.group?.id).toBe(b.steps[2]!.group?.id);
  });
});
