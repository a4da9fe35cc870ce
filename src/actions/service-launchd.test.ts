/**
 * `service` with launchd, against a recorded fake `launchctl` on PATH (with an `uname`
 * that says Darwin): launchd runs only on macOS and this machine is Linux, so the
 * command lines are checked against a stand-in that keeps the services' state in
 * files, while plists are written for real into a temp dir.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ok } from "../model/result.js";
import { fakeLaunchctl } from "./fake-launchctl.js";
import { run, tempDir } from "./test-context.js";

const LABEL = "com.example.app";
const plist = (args: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict>\n<key>Label</key><string>${LABEL}</string>\n<key>ProgramArguments</key><array><string>/usr/local/bin/app</string>${args}</array>\n<key>RunAtLoad</key><true/>\n</dict></plist>\n`;
const PLIST = plist("");

/** A plist already in place in a fresh directory (as if installed before). */
function installed(file: string): string {
  const path = join(tempDir(), file);
  writeFileSync(path, PLIST);
  return path;
}

describe("service with launchd (fake launchctl; launchd runs only on macOS)", () => {
  it("writes the plist and bootstraps it into the user's GUI domain; then changes nothing", async () => {
    const ld = fakeLaunchctl();
    const root = tempDir();
    const path = join(root, "agents", `${LABEL}.plist`);
    const args = {
      name: LABEL,
      state: "started",
      enabled: true,
      unit: { dest: "agents/com.example.app.plist", content: PLIST },
    };
    const dry = await run("service", args, "check", { exec: ld.exec, rootDir: root });
    expect(dry.failure).toBeNull();
    expect(dry.changed).toBe(true);
    expect(dry.diff).toContain("+<key>RunAtLoad</key><true/>");
    expect(dry.result).toMatchObject({
      manager: "launchd",
      domain: "gui/501",
      plist: path,
      commands: [`launchctl bootstrap gui/501 ${path}`],
      status: { loaded: false, active: false, enabled: "enabled" },
    });
    expect(ld.calls()).toEqual([`print gui/501/${LABEL}`, "print-disabled gui/501"]);
    expect(existsSync(join(root, "agents"))).toBe(false);

    const real = await run("service", args, "apply", { exec: ld.exec, rootDir: root });
    expect(real.failure).toBeNull();
    expect(real.changed).toBe(true);
    expect(ld.mutating()).toEqual([`bootstrap gui/501 ${path}`]);
    expect(readFileSync(path, "utf8")).toBe(PLIST);
    expect(statSync(path).mode & 0o777).toBe(0o644);
    expect(real.result.files).toEqual([path]);

    for (const mode of ["apply", "check"] as const) {
      const again = await run("service", args, mode, { exec: ld.exec, rootDir: root });
      expect(again.changed).toBe(false);
      expect(again.result.commands).toEqual([]);
      expect(again.result.status).toEqual({ loaded: true, active: true, enabled: "enabled" });
    }
    expect(ld.mutating()).toHaveLength(1);
  });

  it("loads a changed plist again (launchd reads it only when loading), renders src_template with mode", async () => {
    const ld = fakeLaunchctl({ loaded: [LABEL], running: [LABEL] });
    const root = tempDir();
    const path = join(root, `${LABEL}.plist`);
    writeFileSync(path, PLIST);
    writeFileSync(
      join(root, "app.plist.j2"),
      plist("<string>--x</string><string>{{ x }}</string>"),
    );
    const args = {
      name: LABEL,
      state: "started",
      unit: { dest: path, src_template: "app.plist.j2", mode: "0600" },
    };
    const dry = await run("service", args, "check", { exec: ld.exec, rootDir: root });
    expect(dry.result.commands).toEqual([
      `launchctl bootout gui/501/${LABEL}`,
      `launchctl bootstrap gui/501 ${path}`,
    ]);
    expect(readFileSync(path, "utf8")).toBe(PLIST);
    const real = await run("service", args, "apply", { exec: ld.exec, rootDir: root });
    expect(real.changed).toBe(true);
    expect(readFileSync(path, "utf8")).toContain("<string>--x</string><string>1</string>");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(ld.mutating()).toEqual([`bootout gui/501/${LABEL}`, `bootstrap gui/501 ${path}`]);
    const again = await run("service", args, "apply", { exec: ld.exec, rootDir: root });
    expect(again.changed).toBe(false);
  });

  it("stops with bootout, restarts and reloads with kickstart -k, loading first when needed", async () => {
    const path = installed("web.plist");
    const ld = fakeLaunchctl({ loaded: ["web"], running: ["web"] });
    const step = (state: string) =>
      run("service", { name: "web", state, unit: { dest: path, content: PLIST } }, "apply", {
        exec: ld.exec,
      });
    expect((await step("stopped")).changed).toBe(true);
    expect((await step("stopped")).changed).toBe(false);
    const restart = await step("restarted");
    expect(restart.changed).toBe(true);
    expect(restart.result.status).toMatchObject({ loaded: false });
    expect((await step("reloaded")).changed).toBe(true);
    expect(ld.mutating()).toEqual([
      "bootout gui/501/web",
      `bootstrap gui/501 ${path}`,
      "kickstart -k gui/501/web",
      "kickstart -k gui/501/web",
    ]);
  });

  it("enables a disabled service before loading it, and disables one", async () => {
    const path = installed("job.plist");
    const ld = fakeLaunchctl({ disabled: ["job"] });
    const args = {
      name: "job",
      state: "started",
      enabled: true,
      unit: { dest: path, content: PLIST },
    };
    const dry = await run("service", args, "check", { exec: ld.exec });
    expect(dry.result.commands).toEqual([
      "launchctl enable gui/501/job",
      `launchctl bootstrap gui/501 ${path}`,
    ]);
    expect(dry.result.status).toMatchObject({ enabled: "disabled" });
    expect((await run("service", args, "apply", { exec: ld.exec })).changed).toBe(true);
    expect((await run("service", args, "apply", { exec: ld.exec })).changed).toBe(false);
    const off = await run("service", { name: "job", enabled: false }, "apply", { exec: ld.exec });
    expect(off.changed).toBe(true);
    const offAgain = await run("service", { name: "job", enabled: false }, "apply", {
      exec: ld.exec,
    });
    expect(offAgain.changed).toBe(false);
    expect(ld.mutating()).toEqual([
      "enable gui/501/job",
      `bootstrap gui/501 ${path}`,
      "disable gui/501/job",
    ]);
  });

  it("says why before running anything it cannot do", async () => {
    const path = installed("job.plist");
    const ld = fakeLaunchctl({ disabled: ["job"] });
    const started = { name: "job", state: "started", unit: { dest: path, content: PLIST } };
    for (const mode of ["check", "apply"] as const) {
      const r = await run("service", started, mode, { exec: ld.exec });
      expect(r.failure?.message).toBe(
        "service: gui/501/job is disabled, and launchd does not load a disabled service: add 'enabled: true'",
      );
    }
    const fresh = join(tempDir(), "job.plist");
    const unwritten = await run(
      "service",
      { ...started, unit: { dest: fresh, content: PLIST } },
      "apply",
      {
        exec: ld.exec,
      },
    );
    expect(unwritten.failure?.message).toContain("is disabled");
    expect(existsSync(fresh)).toBe(false);
    const both = await run("service", { ...started, enabled: false }, "apply", { exec: ld.exec });
    expect(both.failure?.message).toContain(
      "'enabled: false' and 'state: started' do not go together",
    );
    const noPlist = await run("service", { name: "other", state: "started" }, "apply", {
      exec: ld.exec,
    });
    expect(noPlist.failure?.message).toBe(
      `service: no plist at ${join(homedir(), "Library/LaunchAgents/other.plist")}: give 'unit' (content or src_template), or 'unit.dest' where it is`,
    );
    const dropin = await run(
      "service",
      { name: "job", state: "started", dropin: { name: "10-x", content: "[Service]\n" } },
      "apply",
      { exec: ld.exec },
    );
    expect(dropin.failure?.message).toContain(
      "'dropin' is systemd's: launchd (macOS) has no drop-in files; put these settings in the plist ('unit')",
    );
    // A dry run predicts the load: an earlier step may write the plist.
    const later = await run("service", { name: "other", state: "started" }, "check", {
      exec: ld.exec,
    });
    expect(later.result.commands).toEqual([
      `launchctl bootstrap gui/501 ${join(homedir(), "Library/LaunchAgents/other.plist")}`,
    ]);
    const label = await run("service", { name: "a/b" }, "check", { exec: ld.exec });
    expect(label.failure?.message).toContain("'a/b' is not a launchd label");
    expect(ld.mutating()).toEqual([]);
  });

  it("as root goes to the system domain and /Library/LaunchDaemons (predicted, not written)", async () => {
    const ld = fakeLaunchctl({ uid: 0 });
    const dry = await run(
      "service",
      { name: "org.example.d", state: "started", unit: { content: PLIST } },
      "check",
      { exec: ld.exec },
    );
    expect(dry.failure).toBeNull();
    expect(dry.result).toMatchObject({
      domain: "system",
      plist: "/Library/LaunchDaemons/org.example.d.plist",
      commands: ["launchctl bootstrap system /Library/LaunchDaemons/org.example.d.plist"],
    });
    expect(ld.calls()).toEqual(["print system/org.example.d", "print-disabled system"]);
    const agent = await run("service", { name: "a", unit: { content: PLIST } }, "check", {
      exec: fakeLaunchctl().exec,
    });
    expect(agent.result.plist).toBe(join(homedir(), "Library/LaunchAgents/a.plist"));
  });

  it("fails with the reason where launchctl is missing or the domain cannot be used", async () => {
    const missing = fakeLaunchctl({ missing: true });
    const r = await run("service", { name: "x", state: "started" }, "apply", {
      exec: missing.exec,
    });
    expect(r.failure?.message).toMatch(/^service: launchctl is not installed on this machine \(/);
    const noDomain = fakeLaunchctl({ noDomain: true });
    const d = await run("service", { name: "x", state: "started" }, "apply", {
      exec: noDomain.exec,
    });
    expect(d.failure?.message).toContain(
      "service: launchd domain gui/501 cannot be used here (a gui/UID domain exists only while that user is logged in at the screen",
    );
    expect(d.failure?.message).toContain("Could not find domain for user gui: 501");
    expect(noDomain.mutating()).toEqual([]);
  });

  it("follows the plan's os fact when the playbook gathered it", async () => {
    const ld = fakeLaunchctl({ uname: "Linux" });
    const darwin = await run("service", { name: "x", state: "stopped" }, "check", {
      exec: ld.exec,
      evaluate: (expr) => (expr === "facts.os" ? ok("darwin") : ok(undefined)),
    });
    expect(darwin.result.manager).toBe("launchd");
    expect(ld.calls()).toEqual(["print gui/501/x", "print-disabled gui/501"]);
  });
});
