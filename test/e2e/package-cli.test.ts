/**
 * `package` for real: as root on a machine with apt-get, install a small Debian
 * package that is not installed, run again (no change), predict both with --dry-run,
 * then remove it. Skipped, saying why, when not root or without apt-get.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cairn, events } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

/** `sl` (the steam locomotive): 13 kB, no dependencies beyond libc and ncurses. */
const PKG = "sl";
const isRoot = process.getuid?.() === 0;
const hasApt = spawnSync("sh", ["-c", "command -v apt-get && command -v dpkg-query"]).status === 0;
const why = !isRoot ? "not root" : !hasApt ? "no apt-get/dpkg-query here" : "";

function installed(): boolean {
  try {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's format, not JavaScript's
    const status = execFileSync("dpkg-query", ["-W", "-f=${Status}", PKG], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    return status.endsWith(" installed") && !status.includes("not-installed");
  } catch {
    return false;
  }
}

function step(dir: string, file: string, dry: boolean) {
  const r = cairn(["run", file, "--json", ...(dry ? ["--dry-run"] : [])], { cwd: dir });
  const done = events(r.stdout).find((e) => e.type === "step.completed");
  return { code: r.code, stderr: r.stderr, done: done as Record<string, unknown> | undefined };
}

describe.skipIf(why !== "")(
  `package with apt (skipped when: not root, or no apt-get)${why === "" ? "" : ` — skipped: ${why}`}`,
  () => {
    it("installs a missing package once, predicts it, and removes it", { timeout: 300_000 }, () => {
      const dir = project({
        "present.yml": `- name: Install ${PKG}\n  package: {name: ${PKG}, state: present}\n  become: true\n`,
        "absent.yml": `- name: Remove ${PKG}\n  package: {name: ${PKG}, state: absent}\n  become: true\n`,
        "update.yml": `- name: Install ${PKG}\n  package: {name: ${PKG}, update_cache: true}\n`,
      });
      // Start from "not installed", whatever an earlier run left.
      if (installed()) expect(step(dir, "absent.yml", false).code).toBe(0);
      expect(installed()).toBe(false);

      const predicted = step(dir, "present.yml", true);
      expect(predicted.done).toMatchObject({
        changed: true,
        result: { manager: "apt", installed: [PKG] },
      });
      expect(installed()).toBe(false);

      let first = step(dir, "present.yml", false);
      // The package index may be too old to know the package: then refresh it once.
      if (first.code !== 0) first = step(dir, "update.yml", false);
      expect(first.code, first.stderr).toBe(0);
      expect(first.done).toMatchObject({ changed: true, result: { installed: [PKG] } });
      expect(installed()).toBe(true);

      expect(step(dir, "present.yml", false).done).toMatchObject({
        changed: false,
        result: { installed: [] },
      });
      expect(step(dir, "present.yml", true).done).toMatchObject({ changed: false });

      expect(step(dir, "absent.yml", true).done).toMatchObject({
        changed: true,
        result: { removed: [PKG] },
      });
      expect(installed()).toBe(true);
      expect(step(dir, "absent.yml", false).done).toMatchObject({
        changed: true,
        result: { removed: [PKG] },
      });
      expect(installed()).toBe(false);
      expect(step(dir, "absent.yml", false).done).toMatchObject({ changed: false });
      expect(step(dir, "absent.yml", true).done).toMatchObject({ changed: false });
    });

    it("names a package that does not exist, with apt's own words", { timeout: 60_000 }, () => {
      const dir = project({ "bad.yml": "- package: {names: [sl, no-such-package-cairn]}\n" });
      const r = cairn(["run", "bad.yml"], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toContain("apt has no package 'no-such-package-cairn'");
      expect(r.stdout + r.stderr).toContain("E: Unable to locate package no-such-package-cairn");
    });
  },
);
