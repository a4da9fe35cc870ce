/**
 * `package` against a recorded fake manager on PATH (`apk`, whose query is simplest):
 * the command lines it builds, one call for the missing packages only, check mode
 * predicting from the query, and the failures it names.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { aptCandidates, aptSimulatedUpgrades, SPECS } from "./package-managers.js";
import { onPath } from "./fake-systemctl.js";
import { run, tempDir } from "./test-context.js";

/** A fake `apk`: `info -e` prints the installed names (from a file); `add`/`del` change it. Every call is logged. */
function fakeApk(installed: string[]) {
  const dir = tempDir();
  const state = join(dir, "installed");
  const log = join(dir, "calls");
  writeFileSync(state, installed.map((n) => `${n}\n`).join(""));
  writeFileSync(log, "");
  const script = `#!/bin/sh
echo "$*" >> '${log}'
case "$1" in
  info) shift; shift; for p in "$@"; do grep -qx "$p" '${state}' && echo "$p"; done; exit 0 ;;
  add) for p in "$@"; do case "$p" in -*|add) ;; nope) echo "ERROR: unable to select packages: nope (no such package)" >&2; exit 1 ;; *) echo "$p" >> '${state}' ;; esac; done ;;
  del) for p in "$@"; do grep -vx "$p" '${state}' > '${state}.n'; mv '${state}.n' '${state}'; done ;;
esac
`;
  writeFileSync(join(dir, "apk"), script);
  return onPath(dir, "apk", log);
}

describe("package (fake apk on PATH)", () => {
  it("installs only what is missing, in one call; then changes nothing", async () => {
    const apk = fakeApk(["curl"]);
    const args = { names: ["curl", "jq", "git"], manager: "apk" };
    const dry = await run("package", args, "check", { exec: apk.exec });
    expect(dry.changed).toBe(true);
    expect(dry.result).toMatchObject({ installed: ["jq", "git"] });
    expect(apk.calls()).toEqual(["info -e curl jq git"]);
    const real = await run("package", args, "apply", { exec: apk.exec });
    expect(real.failure).toBeNull();
    expect(real.result).toMatchObject({
      installed: ["jq", "git"],
      cmd: "apk add --no-progress jq git",
    });
    expect(apk.calls().slice(1)).toEqual([
      "info -e curl jq git",
      "add --no-progress jq git",
      "info -e curl jq git",
    ]);
    const again = await run("package", args, "apply", { exec: apk.exec });
    expect(again.changed).toBe(false);
    expect(apk.calls().slice(4)).toEqual(["info -e curl jq git"]);
  });

  it("removes only what is installed; passes extra; names the manager's error", async () => {
    const apk = fakeApk(["jq"]);
    const gone = await run(
      "package",
      { name: ["jq", "git"], state: "absent", manager: "apk", extra: ["--purge"] },
      "apply",
      { exec: apk.exec },
    );
    expect(gone.result).toMatchObject({ removed: ["jq"], cmd: "apk del --no-progress --purge jq" });
    const bad = await run("package", { name: "nope", manager: "apk" }, "apply", { exec: apk.exec });
    expect(bad.failure?.reason).toBe("rc");
    expect(bad.failure?.message).toContain("installing nope");
    expect(bad.failure?.message).toContain("unable to select packages: nope (no such package)");
  });

  it("refuses Windows managers and unknown names with a reason", async () => {
    const choco = await run("package", { name: "git", manager: "choco" });
    expect(choco.failure?.message).toBe(
      "package: manager 'choco' is for Windows, which cairn does not manage",
    );
    const opt = await run("package", { name: "-rf", manager: "apk" });
    expect(opt.failure?.message).toBe("package: '-rf' is not a package name");
  });
});

describe("package manager command lines", () => {
  it("are non-interactive, one call per list", () => {
    expect(SPECS.apt.install(["a", "b"], [])).toEqual(["apt-get", "install", "-y", "-q", "a", "b"]);
    expect(SPECS.apt.env.DEBIAN_FRONTEND).toBe("noninteractive");
    expect(SPECS.dnf.remove(["a"], [])).toEqual(["dnf", "remove", "-y", "a"]);
    expect(SPECS.pacman.install(["a"], [])).toEqual([
      "pacman",
      "-S",
      "--noconfirm",
      "--needed",
      "a",
    ]);
    expect(SPECS.zypper.latest(["a"], [])).toEqual(["zypper", "--non-interactive", "install", "a"]);
    expect(SPECS.brew.env.HOMEBREW_NO_AUTO_UPDATE).toBe("1");
  });

  it("read what each manager says is installed", () => {
    const dpkg = "sl\tinstall ok installed\t5.02-1\nvim\tdeinstall ok config-files\t9.0\n";
    expect([...SPECS.apt.parse(dpkg, [])]).toEqual([["sl", "5.02-1"]]);
    expect([...SPECS.dnf.parse("git\t2.43-1.fc39\npackage jq is not installed\n", [])]).toEqual([
      ["git", "2.43-1.fc39"],
    ]);
    expect([...SPECS.pacman.parse("git 2.43.0-1\n", [])]).toEqual([["git", "2.43.0-1"]]);
    const policy =
      "sl:\n  Installed: (none)\n  Candidate: 5.02-1+b1\nnope:\n  Installed: (none)\n  Candidate: (none)\n";
    expect([...aptCandidates(policy)]).toEqual([["sl", "5.02-1+b1"]]);
    expect(aptSimulatedUpgrades("Inst libc6 [2.36] (2.37 Debian)\nConf libc6\n")).toEqual([
      "libc6",
    ]);
  });
});
