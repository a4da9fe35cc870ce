/** The durable-run library API (SPEC §5): executeJournaled, resume, listRuns, readRun, replay. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { executeJournaled, listRuns, loadPlaybook, readRun, replay, resume } from "../src/index.js";

describe("durable runs through the library", () => {
  it("runs, fails, resumes after the fix, and reads the history back", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-api-"));
    const stateDir = join(dir, "state");
    writeFileSync(
      join(dir, "site.yml"),
      "- name: a\n  shell: echo a >> log\n- name: b\n  shell: test -f fixed\n",
    );
    const loaded = loadPlaybook(join(dir, "site.yml"));
    if (!loaded.ok) throw new Error("plan failed");
    const first = await executeJournaled(loaded.value.plan, {
      stateDir,
      runId: "api-1",
      rootDir: loaded.value.rootDir,
      playbook: "site.yml",
    });
    expect(first).toMatchObject({ ok: true, value: { outcome: "failed" } });
    expect(listRuns({ stateDir }).map((r) => [r.run_id, r.outcome])).toEqual([["api-1", "failed"]]);
    writeFileSync(join(dir, "fixed"), "");
    const second = await resume("api-1", { stateDir });
    expect(second).toMatchObject({ ok: true, value: { outcome: "success" } });
    expect(readFileSync(join(dir, "log"), "utf8")).toBe("a\n");
    const run = readRun("api-1", { stateDir });
    expect(run.ok && run.value.model.steps.map((s) => [s.step_id, s.status, s.restored])).toEqual([
      ["a", "changed", true],
      ["b", "changed", false],
    ]);
    expect(replay("api-1", { stateDir })).toMatchObject({
      ok: true,
      value: { ok: true, segments: 2 },
    });
    expect(await resume("nope", { stateDir })).toMatchObject({ ok: false });
  });
});
