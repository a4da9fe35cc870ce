/**
 * The planner reads the normalized tree of src/schema, not the raw YAML: aliases and
 * short forms reach the plan folded, and a diagnostic about a folded or expanded arg
 * still points at the text the playbook wrote.
 */
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../model/diagnostic.js";
import type { Plan } from "../model/plan.js";
import { compileFiles } from "../../test/helpers/memory.js";

function planOf(text: string): Plan {
  const r = compileFiles({ "site.yml": text });
  if (!r.ok) throw new Error(JSON.stringify(r.error, null, 2));
  return r.value;
}

function errorsOf(text: string): Diagnostic[] {
  const r = compileFiles({ "site.yml": text });
  if (r.ok) throw new Error("expected diagnostics");
  return r.error;
}

const at = (d: Diagnostic | undefined) => d && [d.pos?.line, d.pos?.column];

describe("one reading of a step", () => {
  it("folds mooncake's replace names into the canonical action and args", () => {
    const plan = planOf(
      "- file_replace:\n    path: /etc/x.conf\n    pattern: '^a'\n    replacement: b\n",
    );
    expect(plan.steps[0]).toMatchObject({
      action: "replace",
      args: { path: "/etc/x.conf", regexp: "^a", replace: "b" },
    });
    expect(Object.keys(plan.steps[0]!.args)).toEqual(["path", "regexp", "replace"]);
    // The id and the default name still say what the playbook wrote.
    expect(plan.steps[0]!.name).toBe("file_replace: /etc/x.conf");
  });

  it("folds wait's `path` into `file_exists`, keeping the args' order", () => {
    const plan = planOf("- wait:\n    path: /tmp/ready\n    timeout: 5s\n");
    expect(plan.steps[0]!.args).toEqual({ file_exists: "/tmp/ready", timeout: "5s" });
    expect(Object.keys(plan.steps[0]!.args)).toEqual(["file_exists", "timeout"]);
  });

  it("locates an error in a folded arg at the alias the playbook wrote", () => {
    const [d] = errorsOf("- file_replace:\n    path: /x\n    pattern: '{{ nope }}'\n");
    expect(d?.code).toBe("undefined-variable");
    expect(at(d)).toEqual([3, 18]);
  });

  it("locates an error in a short form at the action's value", () => {
    const [d] = errorsOf("- name: s\n  shell: echo {{ nope }}\n");
    expect(d?.code).toBe("undefined-variable");
    expect(at(d)).toEqual([2, 18]);
  });

  it("reads `max: N` on a loop step as the loop's bound, as validation says", () => {
    const plan = planOf("- shell: echo {{ item }}\n  with_items: [1, 2, 3]\n  max: 2\n");
    expect(plan.steps.map((s) => s.group?.max)).toEqual([2, 2, 2]);
  });

  it("takes the policy's defaults from the schema", () => {
    const plan = planOf("- shell: 'true'\n  retry: {attempts: 2}\n  breaker: api\n");
    expect(plan.steps[0]!.policy).toMatchObject({
      retry: { attempts: 2, delay_ms: 1000, backoff: 2, max_delay_ms: 30_000, jitter: true },
      breaker: { key: "api", threshold: 5, cooldown_ms: 30_000 },
    });
  });
});
