/** The dry run's predictions through the CLI (SPEC §3.4): exact where knowable, `unknown` otherwise. */
import { describe, expect, it } from "vitest";
import { cairn, events } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

function dryRun(playbook: string) {
  const dir = project({ "site.yml": playbook });
  const r = cairn(["run", "site.yml", "--dry-run", "--json"], { cwd: dir });
  const evs = events(r.stdout);
  const byName = (name: string) =>
    evs.find(
      (e) =>
        "step_id" in e &&
        e.name === name &&
        (e.type === "step.completed" || e.type === "step.skipped" || e.type === "step.failed"),
    );
  return { r, evs, byName };
}

describe("dry-run predictions", () => {
  it("predicts changed_when: false as unchanged, and a step reading a not-run result as unknown, transitively", () => {
    const { r, evs, byName } = dryRun(
      [
        "- name: Read",
        "  shell: uname -r",
        "  register: kernel",
        "  changed_when: false",
        "- name: Derive",
        "  shell: echo {{ kernel.stdout }}",
        "  register: derived",
        "- name: Report",
        "  copy: {content: '{{ derived.stdout }}', dest: /tmp/cairn-dry-never-written, mode: '0600'}",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(0);
    expect(byName("Read")).toMatchObject({ status: "ok", predicted: "unchanged" });
    expect(byName("Derive")).toMatchObject({
      status: "unknown",
      predicted: "unknown",
      reason: expect.stringMatching(/^command known after 'Read' runs \(site\.yml:1\)/),
    });
    expect(byName("Report")).toMatchObject({
      status: "unknown",
      reason: expect.stringContaining("known after 'Read' runs (site.yml:1) through 'Derive'"),
      diff: expect.stringContaining("(mode 0600)"),
    });
    const done = evs.find((e) => e.type === "run.completed") as { stats: Record<string, number> };
    expect(done.stats).toMatchObject({ ok: 1, unknown: 2, skipped: 0 });
  });

  it("runs a check_mode: false step for real so that later predictions are exact", () => {
    const { byName } = dryRun(
      "- name: Read\n  shell: echo hi\n  register: r\n  check_mode: false\n  changed_when: false\n- name: Use\n  print: '{{ r.stdout }}'\n",
    );
    expect(byName("Use")).toMatchObject({ status: "ok", predicted: "unchanged" });
  });

  it("an unless guard is not run in a dry run: the step is unknown, not skipped", () => {
    const { byName } = dryRun("- name: Guarded\n  shell: echo x\n  unless: 'true'\n");
    expect(byName("Guarded")).toMatchObject({
      status: "unknown",
      reason: expect.stringContaining("unless command"),
    });
  });

  it("a changed_when over the step's own result is unknown; a handler notified only by unknowns is unknown", () => {
    const { byName } = dryRun(
      [
        "steps:",
        "  - name: Maybe",
        "    shell: echo x",
        "    changed_when: result.stdout == 'y'",
        "    notify: restart",
        "handlers:",
        "  - name: restart",
        "    shell: echo restarted",
        "",
      ].join("\n"),
    );
    expect(byName("Maybe")).toMatchObject({
      status: "unknown",
      reason: expect.stringContaining("changed_when reads the result"),
    });
    expect(byName("restart")).toMatchObject({ status: "unknown" });
  });

  it("still fails a step whose template has a real error (not a dry-run unknown)", () => {
    const { r, byName } = dryRun(
      "- name: R\n  shell: echo hi\n  register: r\n  check_mode: false\n- name: Typo\n  print: '{{ r.stdot }}'\n",
    );
    expect(r.code).toBe(1);
    expect(byName("Typo")).toMatchObject({ type: "step.failed" });
  });
});
