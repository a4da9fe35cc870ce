/**
 * `service` through the CLI, with a recorded fake `systemctl` first on PATH (no systemd
 * runs here, as in a container): the unit is rendered from a template beside the
 * playbook, --dry-run predicts it all, a second run changes nothing.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeSystemctl } from "../../src/actions/fake-systemctl.js";
import { cairn, events } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

describe("cairn run with service (fake systemctl)", () => {
  it("writes the unit, reloads, enables and starts; predicts it; then is idempotent", () => {
    const sd = fakeSystemctl();
    const dir = project({
      "site.yml": [
        "- vars: {port: 8080}",
        "- name: App service",
        "  service:",
        "    name: app",
        "    state: started",
        "    enabled: true",
        "    unit: {dest: out/app.service, src_template: templates/app.service.j2}",
        "",
      ].join("\n"),
      "templates/app.service.j2": "[Service]\nExecStart=/bin/app --port {{ port }}\n",
    });
    const env = { PATH: sd.exec.env.PATH };
    const completed = (args: string[]) => {
      const r = cairn(["run", "site.yml", "--json", ...args], { cwd: dir, env });
      return events(r.stdout).find((e) => e.type === "step.completed") as Record<string, unknown>;
    };
    const dry = completed(["--dry-run"]);
    expect(dry).toMatchObject({ changed: true });
    expect(sd.mutating()).toEqual([]);
    expect(completed([])).toMatchObject({ changed: true });
    expect(readFileSync(join(dir, "out/app.service"), "utf8")).toContain("--port 8080");
    expect(sd.mutating()).toEqual(["daemon-reload", "enable app.service", "start app.service"]);
    expect(completed([])).toMatchObject({ changed: false });
    expect(completed(["--dry-run"])).toMatchObject({ changed: false });
    expect(sd.mutating()).toHaveLength(3);
    const plan = cairn(["plan", "site.yml", "--format", "json"], { cwd: dir, env });
    expect(plan.stdout).toContain('"src_template": "templates/app.service.j2"');
  });
});
