/**
 * `service` on macOS through the CLI: launchd runs only on macOS and this machine is
 * Linux, so a recorded fake `launchctl` goes first on PATH with an `uname` that says
 * Darwin (what the action asks the target, as the `os` fact does). The plist is
 * rendered from a template beside the playbook, --dry-run predicts it, a second run
 * changes nothing, and a `dropin` (systemd's) is a located failure.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeLaunchctl } from "../../src/actions/fake-launchctl.js";
import { cairn, events } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

const PLAYBOOK = [
  "- vars: {port: 8080}",
  "- name: App agent",
  "  service:",
  "    name: com.example.app",
  "    state: started",
  "    enabled: true",
  "    unit: {dest: out/com.example.app.plist, src_template: templates/app.plist.j2}",
  "  register: agent",
  "- print: '{{ agent.manager }} {{ agent.domain }} {{ agent.status.loaded }}'",
  "",
].join("\n");

describe("cairn run with service on macOS (fake launchctl)", () => {
  it("writes the plist and bootstraps it; predicts it; then is idempotent", () => {
    const ld = fakeLaunchctl();
    const dir = project({
      "site.yml": PLAYBOOK,
      "templates/app.plist.j2":
        "<plist version='1.0'><dict><key>Label</key><string>com.example.app</string>\n<key>ProgramArguments</key><array><string>/bin/app</string><string>{{ port }}</string></array></dict></plist>\n",
    });
    const env = { PATH: ld.exec.env.PATH };
    const run = (args: string[]) => {
      const r = cairn(["run", "site.yml", "--json", ...args], { cwd: dir, env });
      expect(r.code).toBe(0);
      return events(r.stdout);
    };
    const completed = (evs: Record<string, unknown>[]) =>
      evs.find((e) => e.type === "step.completed") as Record<string, unknown>;
    const plist = join(dir, "out/com.example.app.plist");

    expect(completed(run(["--dry-run"]))).toMatchObject({ changed: true });
    expect(ld.mutating()).toEqual([]);
    const first = run([]);
    expect(completed(first)).toMatchObject({ changed: true });
    expect(JSON.stringify(first)).toContain("launchd gui/501 False");
    expect(readFileSync(plist, "utf8")).toContain("<string>8080</string>");
    expect(ld.mutating()).toEqual([`bootstrap gui/501 ${plist}`]);
    expect(completed(run([]))).toMatchObject({ changed: false });
    expect(completed(run(["--dry-run"]))).toMatchObject({ changed: false });
    expect(ld.mutating()).toHaveLength(1);
  });

  it("fails a drop-in at its step's location: launchd has none", () => {
    const ld = fakeLaunchctl();
    const dir = project({
      "site.yml": "- service:\n    name: com.example.app\n    dropin: {name: x, content: y}\n",
    });
    const r = cairn(["run", "site.yml"], { cwd: dir, env: { PATH: ld.exec.env.PATH } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "site.yml:1:3: service: 'dropin' is systemd's: launchd (macOS) has no drop-in files",
    );
    expect(ld.calls()).toEqual([]);
  });
});
