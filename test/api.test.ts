/** The library API (SPEC §5): loadPlaybook → Plan → execute, with typed events. */
import { describe, expect, it } from "vitest";
import { type Event, execute, loadPlaybook } from "../src/index.js";
import { project } from "./helpers/project.js";

describe("library API", () => {
  it("plans and executes a playbook, delivering every event in order", async () => {
    const dir = project({
      "site.yml": `- name: hi\n  print: "hello {{ who }}"\n- name: echo\n  shell: echo out\n  register: r\n- name: use\n  shell: echo "{{ r.stdout }}-again"\n`,
    });
    const loaded = loadPlaybook(`${dir}/site.yml`, { vars: { who: "api" } });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const seen: Event[] = [];
    const result = await execute(loaded.value.plan, {
      rootDir: loaded.value.rootDir,
      playbook: "site.yml",
      subscribers: [(e) => seen.push(e)],
    });
    expect(result.outcome).toBe("success");
    expect(result.stats).toMatchObject({ ok: 1, changed: 2, failed: 0 });
    expect(seen.map((e) => e.seq)).toEqual(seen.map((_, i) => i + 1));
    const lines = seen.flatMap((e) => (e.type === "step.output" ? e.line.split("\n") : []));
    expect(lines).toEqual(["out", "out-again"]);
    const hi = seen.find((e) => e.type === "step.completed" && e.step_id === "hi");
    expect(hi?.type === "step.completed" ? hi.result.msg : null).toBe("hello api");
  });

  it("returns located diagnostics instead of throwing", () => {
    const dir = project({ "site.yml": "- name: x\n  shel: ls\n" });
    const loaded = loadPlaybook(`${dir}/site.yml`);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.error[0]).toMatchObject({
      code: "unknown-key",
      pos: { file: "site.yml", line: 2, column: 3 },
    });
  });

  it("keeps delivering events to the other subscribers when one throws", async () => {
    const dir = project({ "site.yml": "- print: a\n- print: b\n" });
    const loaded = loadPlaybook(`${dir}/site.yml`);
    if (!loaded.ok) throw new Error("plan failed");
    const seen: string[] = [];
    const result = await execute(loaded.value.plan, {
      rootDir: loaded.value.rootDir,
      playbook: "site.yml",
      subscribers: [
        () => {
          throw new Error("broken");
        },
        (e) => seen.push(e.type),
      ],
    });
    expect(result.outcome).toBe("success");
    expect(seen.at(-1)).toBe("run.completed");
  });
});
