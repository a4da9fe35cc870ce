import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FILE_SYSTEMS, runOn, tempDir } from "./test-context.js";

describe.each(FILE_SYSTEMS)("on $name", ({ fs }) => {
  const run = runOn(fs);

  const modeOf = (p: string) => statSync(p).mode & 0o7777;

  describe("file", () => {
    it("writes content atomically with its mode, and is idempotent", async () => {
      const dir = tempDir();
      const path = join(dir, "a.txt");
      const args = { path, state: "file", content: "hello\n", mode: "0640" };
      const first = await run("file", args);
      expect(first).toMatchObject({
        changed: true,
        failure: null,
        result: { path, mode: "0640", state: "file" },
      });
      expect(readFileSync(path, "utf8")).toBe("hello\n");
      expect(modeOf(path)).toBe(0o640);
      expect(readdirSync(dir)).toEqual(["a.txt"]);
      const second = await run("file", args);
      expect(second.changed).toBe(false);
      expect(second.diff).toBeUndefined();
    });

    it("check predicts the change with a diff and never touches the disk", async () => {
      const dir = tempDir();
      const path = join(dir, "new.txt");
      const out = await run("file", { path, content: "a\nb\n" }, "check");
      expect(out.changed).toBe(true);
      expect(out.diff).toBe(`--- ${path}\n+++ ${path}\n@@ -0,0 +1,2 @@\n+a\n+b\n`);
      expect(existsSync(path)).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
      const d = await run("file", { path: join(dir, "d"), state: "directory" }, "check");
      expect(d.changed).toBe(true);
      expect(existsSync(join(dir, "d"))).toBe(false);
    });

    it("diffs old to new content on change, and keeps an existing file's mode", async () => {
      const dir = tempDir();
      const path = join(dir, "c");
      writeFileSync(path, "1\n2\n3\n", { mode: 0o600 });
      const out = await run("file", { path, content: "1\nTWO\n3\n" });
      expect(out.diff).toContain("-2\n+TWO\n");
      expect(modeOf(path)).toBe(0o600);
    });

    it("takes YAML 1.2 numeric modes as octal digits", async () => {
      const dir = tempDir();
      const path = join(dir, "x.sh");
      await run("file", { path, content: "#!/bin/sh\n", mode: 755 });
      expect(modeOf(path)).toBe(0o755);
      const bad = await run("file", { path, content: "x", mode: 999 });
      expect(bad.failure?.message).toMatch(/invalid mode/);
    });

    it("enforces mode on an existing file without content, and leaves its bytes", async () => {
      const dir = tempDir();
      const path = join(dir, "e");
      writeFileSync(path, "keep", { mode: 0o644 });
      const out = await run("file", { path, state: "file", mode: "0600" });
      expect(out.changed).toBe(true);
      expect(modeOf(path)).toBe(0o600);
      expect(readFileSync(path, "utf8")).toBe("keep");
      expect((await run("file", { path, state: "file", mode: "0600" })).changed).toBe(false);
      expect((await run("file", { path })).changed).toBe(false);
    });

    it("backs up the previous content before changing it", async () => {
      const dir = tempDir();
      const path = join(dir, "b");
      writeFileSync(path, "old");
      const out = await run("file", { path, content: "new", backup: true });
      const backup = out.result.backup_file as string;
      expect(backup).toMatch(/b\.\d{8}T\d{6}\.\d{3}Z~$/);
      expect(readFileSync(backup, "utf8")).toBe("old");
      expect(readFileSync(path, "utf8")).toBe("new");
    });

    it("fails when the parent directory is missing", async () => {
      const out = await run("file", { path: join(tempDir(), "no", "f"), content: "x" });
      expect(out.failure?.message).toMatch(/parent directory does not exist/);
    });

    it("resolves relative paths against rootDir", async () => {
      const root = tempDir();
      await run("file", { path: "rel.txt", content: "r" }, "apply", { rootDir: root });
      expect(readFileSync(join(root, "rel.txt"), "utf8")).toBe("r");
    });

    it("creates directories (with parents), enforces mode, recursively when asked", async () => {
      const dir = tempDir();
      const path = join(dir, "a", "b");
      const out = await run("file", { path, state: "directory", mode: "0750" });
      expect(out.changed).toBe(true);
      expect(modeOf(path)).toBe(0o750);
      expect((await run("file", { path, state: "directory", mode: "0750" })).changed).toBe(false);
      writeFileSync(join(path, "f"), "", { mode: 0o644 });
      const rec = await run("file", { path, state: "directory", mode: "0700", recurse: true });
      expect(rec.changed).toBe(true);
      expect(modeOf(join(path, "f"))).toBe(0o700);
      const onFile = await run("file", { path: join(path, "f"), state: "directory" });
      expect(onFile.failure?.message).toMatch(/not a directory/);
    });

    it("removes a path (absent), then reports no change", async () => {
      const dir = tempDir();
      const path = join(dir, "gone");
      mkdirSync(path);
      writeFileSync(join(path, "x"), "");
      expect((await run("file", { path, state: "absent" }, "check")).changed).toBe(true);
      expect(existsSync(path)).toBe(true);
      expect((await run("file", { path, state: "absent" })).changed).toBe(true);
      expect(existsSync(path)).toBe(false);
      expect((await run("file", { path, state: "absent" })).changed).toBe(false);
    });

    it("touches: creates empty, or updates times", async () => {
      const dir = tempDir();
      const path = join(dir, "t");
      expect((await run("file", { path, state: "touch", mode: "0600" })).changed).toBe(true);
      expect(readFileSync(path, "utf8")).toBe("");
      expect(modeOf(path)).toBe(0o600);
    });

    it("creates and repoints symlinks; replaces a file only with force", async () => {
      const dir = tempDir();
      const link = join(dir, "l");
      writeFileSync(join(dir, "t1"), "1");
      writeFileSync(join(dir, "t2"), "2");
      expect((await run("file", { path: link, state: "link", src: join(dir, "t1") })).changed).toBe(
        true,
      );
      expect(readlinkSync(link)).toBe(join(dir, "t1"));
      expect((await run("file", { path: link, state: "link", src: join(dir, "t1") })).changed).toBe(
        false,
      );
      expect((await run("file", { path: link, state: "link", src: join(dir, "t2") })).changed).toBe(
        true,
      );
      expect(readFileSync(link, "utf8")).toBe("2");
      const plain = join(dir, "plain");
      writeFileSync(plain, "p");
      expect(
        (await run("file", { path: plain, state: "link", src: join(dir, "t1") })).failure?.message,
      ).toMatch(/force/);
      await run("file", { path: plain, state: "link", src: join(dir, "t1"), force: true });
      expect(lstatSync(plain).isSymbolicLink()).toBe(true);
    });

    it("hard-links, idempotently", async () => {
      const dir = tempDir();
      writeFileSync(join(dir, "src"), "s");
      const path = join(dir, "h");
      expect((await run("file", { path, state: "hardlink", src: join(dir, "src") })).changed).toBe(
        true,
      );
      expect(statSync(path).ino).toBe(statSync(join(dir, "src")).ino);
      expect((await run("file", { path, state: "hardlink", src: join(dir, "src") })).changed).toBe(
        false,
      );
    });

    it("perms needs an existing path", async () => {
      const out = await run("file", {
        path: join(tempDir(), "none"),
        state: "perms",
        mode: "0600",
      });
      expect(out.failure?.message).toMatch(/does not exist/);
    });

    it("chowns by name when owner/group are given", async () => {
      if (process.getuid?.() !== 0) return;
      const path = join(tempDir(), "o");
      const out = await run("file", { path, content: "x", owner: "nobody", group: "root" });
      expect(out.failure).toBeNull();
      expect(statSync(path).uid).not.toBe(0);
      expect(
        (await run("file", { path, content: "x", owner: "nobody", group: "root" })).changed,
      ).toBe(false);
      const bad = await run("file", { path, owner: "cairn-no-such-user" });
      expect(bad.failure?.message).toMatch(/unknown user/);
    });

    it("rejects an unknown state", async () => {
      const out = await run("file", { path: "/tmp/x", state: "bogus" });
      expect(out.failure?.message).toMatch(/unknown state 'bogus'/);
    });
  });
});
