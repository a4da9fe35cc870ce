/** Planning per target (SPEC §1.6): compileFleet through its public entry point. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/model/plan.js";
import { batchesOf } from "../../src/plan/batches.js";
import { compileFleet, type FleetTarget } from "../../src/plan/fleet.js";
import { fixedFacts, LINUX_FACTS, memoryFs } from "../helpers/memory.js";

function fleetPlan(
  yaml: string,
  targets: FleetTarget[],
  opts: { serial?: number | string | (number | string)[] } = {},
): Plan {
  const r = compileFleet(
    {
      root: "site.yml",
      fs: memoryFs({ "site.yml": yaml }),
      cliVars: {},
      tags: [],
      skipTags: [],
      env: {},
    },
    targets,
    { serial: opts.serial ?? null, maxFailPercentage: null, remote: true },
  );
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

const host = (name: string, vars: Record<string, unknown> = {}, facts = LINUX_FACTS) => ({
  name,
  vars: { inventory_hostname: name, ...vars },
  facts: fixedFacts(facts),
});

describe("compileFleet", () => {
  it("plans one instance per (target, step) with <target>/<id> ids and per-target edges", () => {
    const plan = fleetPlan(
      `- name: a\n  shell: echo {{ inventory_hostname }}\n- name: b\n  shell: echo b\n`,
      [host("web1"), host("web2")],
    );
    expect(plan.steps.map((s) => s.id)).toEqual(["web1/a", "web1/b", "web2/a", "web2/b"]);
    expect(plan.steps.map((s) => s.target)).toEqual(["web1", "web1", "web2", "web2"]);
    expect(plan.steps[3]!.needs).toEqual(["web2/a"]);
    expect(plan.steps[2]!.args.cmd).toBe("echo web2");
    expect(plan.fleet).toMatchObject({
      targets: ["web1", "web2"],
      batches: [["web1", "web2"]],
      max_fail_percentage: null,
    });
    expect(plan.fleet!.connections.web1!.kind).toBe("local");
  });

  it("decides plan-time when and facts per target, with inventory vars under playbook vars", () => {
    const plan = fleetPlan(
      `vars:\n  greeting: hi\nsteps:\n  - name: debian only\n    shell: echo {{ greeting }} {{ role }}\n    when: distribution == "debian"\n`,
      [
        host("a", { role: "db", greeting: "inventory loses" }),
        host("b", { role: "web" }, { ...LINUX_FACTS, distribution: "fedora" }),
      ],
    );
    const [a, b] = plan.steps;
    expect(a!.skipped).toBeNull();
    expect(a!.args.cmd).toBe("echo hi db");
    expect(b!.skipped?.reason).toMatch(/when/);
    expect(plan.facts.a).toEqual({ distribution: "debian" });
    expect(plan.facts.b).toEqual({ distribution: "fedora" });
  });

  it("run_once: the first host of each batch runs it, the others wait for it and copy it", () => {
    const plan = fleetPlan(
      `- name: migrate\n  shell: echo once\n  run_once: true\n- name: after\n  shell: echo after\n`,
      [host("a"), host("b"), host("c")],
      { serial: 2 },
    );
    const byId = new Map(plan.steps.map((s) => [s.id, s]));
    expect(byId.get("a/migrate")!.same_as).toBeUndefined();
    expect(byId.get("b/migrate")!.same_as).toBe("a/migrate");
    expect(byId.get("b/migrate")!.needs).toContain("a/migrate");
    expect(byId.get("c/migrate")!.same_as).toBeUndefined();
    expect(plan.fleet!.batches).toEqual([["a", "b"], ["c"]]);
  });

  it("throttle shares one group across hosts; an unknown delegate is a located error", () => {
    const plan = fleetPlan(`- name: t\n  shell: x\n  throttle: 1\n`, [host("a"), host("b")]);
    expect(plan.steps.map((s) => s.group)).toEqual([
      { id: "throttle:t", max: 1 },
      { id: "throttle:t", max: 1 },
    ]);
    const r = compileFleet(
      {
        root: "site.yml",
        fs: memoryFs({ "site.yml": `- name: t\n  shell: x\n  delegate_to: nowhere\n` }),
        cliVars: {},
        tags: [],
        skipTags: [],
        env: {},
      },
      [host("a")],
      { serial: null, maxFailPercentage: null, remote: true },
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error[0]).toMatchObject({ code: "unknown-host", pos: { line: 1 } });
  });

  it("is deterministic: the same inputs give the same digest", () => {
    const yaml = `- name: a\n  shell: echo {{ inventory_hostname }}\n`;
    const one = fleetPlan(yaml, [host("x"), host("y")]);
    const two = fleetPlan(yaml, [host("x"), host("y")]);
    expect(one.digest).toBe(two.digest);
    expect(fleetPlan(yaml, [host("x"), host("z")]).digest).not.toBe(one.digest);
  });
});

describe("batchesOf", () => {
  it("splits as Ansible's serial does: counts, percentages, lists whose last size repeats", () => {
    const hosts = ["a", "b", "c", "d", "e"];
    expect(batchesOf(hosts, 2)).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    expect(batchesOf(hosts, "40%")).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    expect(batchesOf(hosts, [1, "50%"])).toEqual([["a"], ["b", "c"], ["d", "e"]]);
    expect(batchesOf(hosts, "1%")).toHaveLength(5);
    expect(batchesOf(hosts, null)).toEqual([hosts]);
  });

  it("puts every host in exactly one batch, in order (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 30 }),
        fc.array(
          fc.oneof(
            fc.integer({ min: 1, max: 10 }),
            fc.integer({ min: 1, max: 100 }).map((n) => `${n}%`),
          ),
          {
            maxLength: 4,
          },
        ),
        (hosts, sizes) => {
          const b = batchesOf(hosts, sizes.length === 0 ? null : sizes);
          expect(b.flat()).toEqual(hosts);
          for (const batch of b) expect(batch.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});
