/**
 * `register:` on a `- preset:` step, through the built CLI: the preset registers
 * `{changed: any of its steps changed, failed: false, msg}` (README, Decisions), read by
 * a later step's `when` and in its `shell` command; a skipped preset registers skipped.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cairn } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

const PRESET = `name: notes
parameters:
  dest: {type: string, required: true}
steps:
  - name: write the note
    copy: {dest: "{{ parameters.dest }}", content: "hello\\n"}
  - name: look
    shell: cat "{{ parameters.dest }}"
    changed_when: false
  - name: each
    shell: "true"
    with_items: [a, b]
    changed_when: false
`;

function site(when = ""): string {
  return `- name: Notes
  preset: notes
  with: {dest: note.txt}
  register: notes
${when}- name: report
  shell: echo "changed={{ notes.changed }} failed={{ notes.failed }} {{ notes.msg }}" >> report.txt
  when: notes.changed
- name: skipped?
  shell: echo "skipped={{ notes.skipped | default(false) }}" >> report.txt
`;
}

describe("register on a preset step", () => {
  it("registers whether any step of the preset changed, for a later when and shell", () => {
    const dir = project({ "presets/notes/preset.yml": PRESET, "site.yml": site() });
    const first = cairn(["run", "site.yml"], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(readFileSync(join(dir, "report.txt"), "utf8")).toBe(
      "changed=True failed=False preset 'notes': 4 steps\nskipped=False\n",
    );
    // Nothing to change the second time: the preset registers changed=false, report is skipped.
    const second = cairn(["run", "site.yml"], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("skipped  report (when: notes.changed is false)");
    expect(readFileSync(join(dir, "report.txt"), "utf8")).toBe(
      "changed=True failed=False preset 'notes': 4 steps\nskipped=False\nskipped=False\n",
    );
  });

  it("predicts the registered result in --dry-run", () => {
    const dir = project({ "presets/notes/preset.yml": PRESET, "site.yml": site() });
    const r = cairn(["run", "--dry-run", "site.yml"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/report/);
    expect(r.stdout).not.toContain("skipped  report");
    expect(existsSync(join(dir, "note.txt"))).toBe(false);
  });

  it("registers a skipped result when the preset's when is false", () => {
    const dir = project({
      "presets/notes/preset.yml": PRESET,
      "site.yml": site("  when: false\n"),
    });
    const r = cairn(["run", "site.yml"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, "report.txt"), "utf8")).toBe("skipped=True\n");
    expect(existsSync(join(dir, "note.txt"))).toBe(false);
  });

  it("shows the preset's result step in the plan, after its steps, under the preset's id", () => {
    const dir = project({ "presets/notes/preset.yml": PRESET, "site.yml": site() });
    const r = cairn(["plan", "site.yml", "--format", "json"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      steps: { id: string; register: string | null; needs: string[]; changed_when: string }[];
    };
    const ids = plan.steps.map((s) => s.id);
    expect(ids).toEqual([
      "notes/write-the-note",
      "notes/look",
      "notes/each[0]",
      "notes/each[1]",
      "notes",
      "report",
      "skipped",
    ]);
    const result = plan.steps[4]!;
    expect(result.register).toBe("notes");
    expect(result.needs).toEqual(["notes/each[1]"]);
    expect(result.changed_when).toContain("selectattr('changed')");
  });

  it("refuses register on a preset whose name is not a variable name, at the value (exit 2)", () => {
    const dir = project({
      "presets/notes/preset.yml": PRESET,
      "site.yml": "- preset: notes\n  with: {dest: x}\n  register: 1bad\n",
    });
    const r = cairn(["plan", "site.yml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("site.yml:3:13");
  });
});
