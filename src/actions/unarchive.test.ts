import { execFileSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type SpecEntry, makeArchive } from "./archive/test-archives.js";
import { FILE_SYSTEMS, runOn, tempDir } from "./test-context.js";

describe.each(FILE_SYSTEMS)("on $name", ({ fs }) => {
  const run = runOn(fs);

  const tree: SpecEntry[] = [
    { kind: "dir", name: "app-1.0/", mode: 0o755 },
    { kind: "dir", name: "app-1.0/bin/", mode: 0o755 },
    { kind: "file", name: "app-1.0/bin/run", data: "#!/bin/sh\necho run\n", mode: 0o755 },
    { kind: "file", name: "app-1.0/README", data: "read me\n", mode: 0o644 },
    { kind: "symlink", name: "app-1.0/bin/start", target: "run" },
  ];

  /** A root with the archive in it and an empty `out` directory to extract into. */
  function setup(format: "tgz" | "zip", entries: readonly SpecEntry[] = tree) {
    const root = tempDir();
    mkdirSync(join(root, "out"));
    makeArchive(root, `a.${format}`, format, entries);
    return { root, out: join(root, "out"), src: `a.${format}` };
  }

  describe("unarchive", () => {
    it.each(["tgz", "zip"] as const)(
      "extracts a %s with modes and symlinks, then is idempotent",
      async (fmt) => {
        const { root, out, src } = setup(fmt);
        const args = { src, dest: "out" };
        const first = await run("unarchive", args, "apply", { rootDir: root });
        expect(first.failure).toBeNull();
        expect(first.changed).toBe(true);
        expect(first.result.files).toEqual([
          "app-1.0",
          "app-1.0/bin",
          "app-1.0/bin/run",
          "app-1.0/README",
          "app-1.0/bin/start",
        ]);
        expect(readFileSync(join(out, "app-1.0/bin/run"), "utf8")).toBe("#!/bin/sh\necho run\n");
        expect(statSync(join(out, "app-1.0/bin/run")).mode & 0o777).toBe(0o755);
        expect(statSync(join(out, "app-1.0/README")).mode & 0o777).toBe(0o644);
        expect(readlinkSync(join(out, "app-1.0/bin/start"))).toBe("run");
        const second = await run("unarchive", args, "apply", { rootDir: root });
        expect(second.changed).toBe(false);
        expect(second.result.files).toEqual([]);
      },
    );

    it("extracts what GNU tar made, with strip_components counting the ./", async () => {
      const root = tempDir();
      mkdirSync(join(root, "src", "pkg"), { recursive: true });
      writeFileSync(join(root, "src", "pkg", "f"), "data");
      execFileSync("tar", ["-czf", join(root, "p.tar.gz"), "-C", join(root, "src"), "."]);
      mkdirSync(join(root, "out"));
      const args = { src: "p.tar.gz", dest: "out", strip_components: 2 };
      const out = await run("unarchive", args, "apply", { rootDir: root });
      expect(out.result.files).toEqual(["f"]);
      expect(readFileSync(join(root, "out", "f"), "utf8")).toBe("data");
    });

    it("changes only what differs: edited content, a changed mode, a removed file", async () => {
      const { root, out, src } = setup("tgz");
      const args = { src, dest: join(root, "out"), strip_components: 1 };
      await run("unarchive", args, "apply", { rootDir: root });
      writeFileSync(join(out, "README"), "edited\n");
      await run("file", { path: join(out, "bin/run"), state: "perms", mode: "0700" });
      unlinkSync(join(out, "bin/start"));
      const again = await run("unarchive", args, "apply", { rootDir: root });
      expect(again.result.files).toEqual(["bin/run", "README", "bin/start"]);
      expect(again.diff).toContain("-edited\n+read me");
      expect(readFileSync(join(out, "README"), "utf8")).toBe("read me\n");
      expect(statSync(join(out, "bin/run")).mode & 0o777).toBe(0o755);
      expect(lstatSync(join(out, "bin/start")).isSymbolicLink()).toBe(true);
    });

    it("applies `mode` to every extracted file and defaults a zip entry without one to 0644", async () => {
      const entries: SpecEntry[] = [
        { kind: "file", name: "a", data: "a", mode: 0o755 },
        { kind: "file", name: "dos", data: "d" },
      ];
      const { root, out, src } = setup("zip", entries);
      await run("unarchive", { src, dest: "out" }, "apply", { rootDir: root });
      expect(statSync(join(out, "dos")).mode & 0o777).toBe(0o644);
      const forced = await run("unarchive", { src, dest: "out", mode: "0600" }, "apply", {
        rootDir: root,
      });
      expect(forced.result.files).toEqual(["a", "dos"]);
      expect(statSync(join(out, "a")).mode & 0o777).toBe(0o600);
    });

    it("dry run reports what would change and writes nothing", async () => {
      const { root, out, src } = setup("tgz");
      const check = await run("unarchive", { src, dest: "out" }, "check", { rootDir: root });
      expect(check.changed).toBe(true);
      expect(check.result.files).toHaveLength(5);
      expect(check.diff).toContain("+read me");
      expect(readdirSync(out)).toEqual([]);
    });

    it.each([
      ["../evil", { kind: "file", name: "../evil", data: "x" }],
      ["a symlink out", { kind: "symlink", name: "up", target: "../.." }],
    ] as const)("refuses an archive with %s and writes nothing", async (_what, bad) => {
      const entries: SpecEntry[] = [{ kind: "file", name: "good", data: "ok" }, bad];
      const { root, out, src } = setup("tgz", entries);
      const r = await run("unarchive", { src, dest: "out" }, "apply", { rootDir: root });
      expect(r.failure?.reason).toBe("error");
      expect(r.failure?.message).toContain(bad.name);
      expect(readdirSync(out)).toEqual([]);
      expect(existsSync(join(root, "evil"))).toBe(false);
    });

    it("refuses to write under an existing symlink in dest that leads out of it", async () => {
      const entries: SpecEntry[] = [{ kind: "file", name: "logs/x", data: "x" }];
      const { root, out, src } = setup("tgz", entries);
      const outside = tempDir();
      symlinkSync(outside, join(out, "logs"));
      const r = await run("unarchive", { src, dest: "out" }, "apply", { rootDir: root });
      expect(r.failure?.message).toBe(
        "a.tgz: refusing entry under a symlink that leads out of dest: logs/x",
      );
      expect(readdirSync(outside)).toEqual([]);
    });

    it("creates a missing dest (as mooncake does), predicting it in check mode", async () => {
      const { root, src } = setup("tgz");
      const dry = await run("unarchive", { src, dest: "new/dir" }, "check", { rootDir: root });
      expect(dry.failure).toBeNull();
      expect(dry.changed).toBe(true);
      expect(existsSync(join(root, "new"))).toBe(false);
      const real = await run("unarchive", { src, dest: "new/dir" }, "apply", { rootDir: root });
      expect(real.failure).toBeNull();
      expect(real.changed).toBe(true);
      expect(real.result.files).toEqual(dry.result.files);
      expect(statSync(join(root, "new/dir")).isDirectory()).toBe(true);
      const again = await run("unarchive", { src, dest: "new/dir" }, "apply", { rootDir: root });
      expect(again.changed).toBe(false);
    });

    it("needs a dest that is a directory, and a readable archive", async () => {
      const { root, src } = setup("tgz");
      writeFileSync(join(root, "afile"), "x");
      const notDir = await run("unarchive", { src, dest: "afile" }, "apply", { rootDir: root });
      expect(notDir.failure?.message).toBe("dest is not a directory: afile");
      writeFileSync(join(root, "bad.zip"), "not an archive");
      const bad = await run("unarchive", { src: "bad.zip", dest: "out" }, "apply", {
        rootDir: root,
      });
      expect(bad.failure?.message).toBe(
        "bad.zip: unsupported archive format (expected .tar, .tar.gz/.tgz or .zip)",
      );
      const strip = await run("unarchive", { src, dest: "out", strip_components: -1 }, "apply", {
        rootDir: root,
      });
      expect(strip.failure?.message).toMatch(/strip_components/);
    });
  });
});
