/**
 * `service` against a recorded fake `systemctl` on PATH — there is no systemd on this
 * machine (a container), so the command lines are checked against a stand-in that
 * keeps the units' state in files — while unit and drop-in files are written for real.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeSystemctl } from "./fake-systemctl.js";
import { run, tempDir } from "./test-context.js";

const UNIT = "[Service]\nExecStart=/usr/bin/myapp\n";

describe("service with systemd (fake systemctl; no systemd runs here)", () => {
  it("writes the unit and drop-in, reloads, enables and starts; then changes nothing", async () => {
    const sd = fakeSystemctl();
    const root = tempDir();
    const args = {
      name: "myapp",
      state: "started",
      enabled: true,
      unit: { dest: "units/myapp.service", content: UNIT },
      dropin: { name: "10-env", content: "[Service]\nEnvironment=A=1\n" },
    };
    const dry = await run("service", args, "check", { exec: sd.exec, rootDir: root });
    expect(dry.changed).toBe(true);
    expect(dry.diff).toContain("+ExecStart=/usr/bin/myapp");
    expect(dry.result.commands).toEqual([
      "systemctl daemon-reload",
      "systemctl enable myapp.service",
      "systemctl start myapp.service",
    ]);
    expect(sd.mutating()).toEqual([]);
    expect(existsSync(join(root, "units"))).toBe(false);

    const real = await run("service", args, "apply", { exec: sd.exec, rootDir: root });
    expect(real.failure).toBeNull();
    expect(real.changed).toBe(true);
    expect(sd.mutating()).toEqual(["daemon-reload", "enable myapp.service", "start myapp.service"]);
    expect(readFileSync(join(root, "units/myapp.service"), "utf8")).toBe(UNIT);
    expect(statSync(join(root, "units/myapp.service")).mode & 0o777).toBe(0o644);
    expect(readFileSync(join(root, "units/myapp.service.d/10-env.conf"), "utf8")).toContain("A=1");
    expect(real.result.files).toEqual([
      join(root, "units/myapp.service"),
      join(root, "units/myapp.service.d/10-env.conf"),
    ]);

    const again = await run("service", args, "apply", { exec: sd.exec, rootDir: root });
    expect(again.changed).toBe(false);
    expect(again.result.commands).toEqual([]);
    expect(sd.mutating()).toHaveLength(3);
  });

  it("stops, restarts, reloads and disables with the right command lines", async () => {
    const sd = fakeSystemctl({ active: ["web.service"], enabled: ["web.service"] });
    const stop = await run("service", { name: "web", state: "stopped", enabled: false }, "apply", {
      exec: sd.exec,
    });
    expect(stop.changed).toBe(true);
    expect(sd.mutating()).toEqual(["disable web.service", "stop web.service"]);
    const stopped = await run("service", { name: "web", state: "stopped" }, "apply", {
      exec: sd.exec,
    });
    expect(stopped.changed).toBe(false);
    const restart = await run("service", { name: "web.socket", state: "restarted" }, "apply", {
      exec: sd.exec,
    });
    expect(restart.changed).toBe(true);
    const reload = await run(
      "service",
      { name: "web", state: "reloaded", daemon_reload: true },
      "apply",
      { exec: sd.exec },
    );
    expect(reload.changed).toBe(true);
    expect(sd.mutating().slice(2)).toEqual([
      "restart web.socket",
      "daemon-reload",
      "reload web.service",
    ]);
  });

  it("renders a unit from src_template with the step's variables", async () => {
    const sd = fakeSystemctl();
    const root = tempDir();
    writeFileSync(join(root, "unit.j2"), "[Service]\nExecStart=/bin/app --x {{ x }}\n");
    const r = await run(
      "service",
      { name: "app", unit: { dest: "app.service", src_template: "unit.j2", mode: "0600" } },
      "apply",
      { exec: sd.exec, rootDir: root },
    );
    expect(r.failure).toBeNull();
    expect(readFileSync(join(root, "app.service"), "utf8")).toBe(
      "[Service]\nExecStart=/bin/app --x 1\n",
    );
    expect(statSync(join(root, "app.service")).mode & 0o777).toBe(0o600);
    expect(sd.mutating()).toEqual(["daemon-reload"]);
  });

  it("fails with the reason where systemd does not run (a container)", async () => {
    const sd = fakeSystemctl({ running: "offline" });
    const r = await run("service", { name: "nginx", state: "started" }, "apply", { exec: sd.exec });
    expect(r.failure?.message).toBe(
      "service: systemd is not running on this machine ('offline'); a container has no service manager",
    );
    expect(sd.mutating()).toEqual([]);
  });
});
