import { createHash } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FILE_SYSTEMS, runOn, tempDir } from "./test-context.js";

describe.each(FILE_SYSTEMS)("on $name", ({ fs }) => {
  const run = runOn(fs);

  describe("template", () => {
    it("renders src relative to rootDir with extra vars, writes dest with mode, idempotently", async () => {
      const root = tempDir();
      mkdirSync(join(root, "templates"));
      writeFileSync(join(root, "templates", "a.j2"), "x={{ x }} env={{ env }}\n");
      const args = { src: "templates/a.j2", dest: "out.txt", mode: "0755", vars: { env: "prod" } };
      const check = await run("template", args, "check", { rootDir: root });
      expect(check.changed).toBe(true);
      expect(check.diff).toContain("+x=1 env=prod");
      expect(existsSync(join(root, "out.txt"))).toBe(false);
      expect((await run("template", args, "apply", { rootDir: root })).changed).toBe(true);
      expect(readFileSync(join(root, "out.txt"), "utf8")).toBe("x=1 env=prod\n");
      expect(statSync(join(root, "out.txt")).mode & 0o777).toBe(0o755);
      expect((await run("template", args, "apply", { rootDir: root })).changed).toBe(false);
    });

    it("reports a render error at its line and column", async () => {
      const root = tempDir();
      writeFileSync(join(root, "t.j2"), "line1\n  {{ !x }}\n");
      const out = await run("template", { src: "t.j2", dest: "o" }, "apply", { rootDir: root });
      expect(out.failure).toEqual({ reason: "error", message: "t.j2:2:6: unexpected '!'" });
    });

    it("reports a missing template", async () => {
      const out = await run("template", { src: "nope.j2", dest: "o" });
      expect(out.failure?.message).toBe("template not found: nope.j2");
    });
  });

  describe("copy", () => {
    it("copies src by content hash, into a directory dest, idempotently", async () => {
      const root = tempDir();
      writeFileSync(join(root, "s.txt"), "data");
      mkdirSync(join(root, "d"));
      const args = { src: "s.txt", dest: "d/" };
      const out = await run("copy", args, "apply", { rootDir: root });
      expect(out.changed).toBe(true);
      expect(readFileSync(join(root, "d", "s.txt"), "utf8")).toBe("data");
      expect(out.result.checksum).toBe(createHash("sha256").update("data").digest("hex"));
      expect((await run("copy", args, "apply", { rootDir: root })).changed).toBe(false);
    });

    it("writes content, fails on a checksum mismatch, honours force: false", async () => {
      const dir = tempDir();
      const dest = join(dir, "c");
      const sum = createHash("sha256").update("abc").digest("hex");
      expect((await run("copy", { content: "abc", dest, checksum: sum })).changed).toBe(true);
      const bad = await run("copy", { content: "abd", dest, checksum: sum });
      expect(bad.failure?.message).toMatch(/checksum mismatch/);
      expect(readFileSync(dest, "utf8")).toBe("abc");
      expect((await run("copy", { content: "zzz", dest, force: false })).changed).toBe(false);
      expect(readFileSync(dest, "utf8")).toBe("abc");
    });

    it("writes through a symlink to its target, keeping the target's mode", async () => {
      const dir = tempDir();
      writeFileSync(join(dir, "real"), "old\n", { mode: 0o640 });
      symlinkSync("real", join(dir, "link"));
      const out = await run("copy", { content: "new\n", dest: join(dir, "link") });
      expect(out.changed).toBe(true);
      expect(lstatSync(join(dir, "link")).isSymbolicLink()).toBe(true);
      expect(readFileSync(join(dir, "real"), "utf8")).toBe("new\n");
      expect(statSync(join(dir, "real")).mode & 0o777).toBe(0o640);
    });

    it("changes when only the mode differs", async () => {
      const dest = join(tempDir(), "m");
      await run("copy", { content: "m", dest, mode: "0644" });
      expect((await run("copy", { content: "m", dest, mode: "0600" })).changed).toBe(true);
      expect(statSync(dest).mode & 0o777).toBe(0o600);
    });

    it("refuses a directory src and needs exactly one of src/content", async () => {
      const root = tempDir();
      mkdirSync(join(root, "dir"));
      const d = await run("copy", { src: "dir", dest: "x" }, "apply", { rootDir: root });
      expect(d.failure?.message).toBe("directory copy not supported yet");
      const both = await run("copy", { src: "a", content: "b", dest: "x" });
      expect(both.failure?.message).toMatch(/exactly one/);
    });
  });

  describe("replace", () => {
    it("replaces with Python-style backrefs, line-anchored, idempotently", async () => {
      const dir = tempDir();
      const path = join(dir, "r.conf");
      writeFileSync(path, "port=80\nhost=a\nport=81\n");
      const args = { path, regexp: "^port=(\\d+)$", replace: "port=\\g<1>0" };
      const out = await run("replace", args);
      expect(out.changed).toBe(true);
      expect(out.result.replacements).toBe(2);
      expect(readFileSync(path, "utf8")).toBe("port=800\nhost=a\nport=810\n");
      const again = await run("replace", { path, regexp: "^host=a$", replace: "host=a" });
      expect(again.changed).toBe(false);
      expect(readdirSync(dir)).toEqual(["r.conf"]);
    });

    it("accepts mooncake's file_replace form: pattern, literal flag, count, allow_no_match", async () => {
      const path = join(tempDir(), "f");
      writeFileSync(path, "a.b a.b a.b");
      await run("file_replace", {
        path,
        pattern: "a.b",
        replace: "$x",
        count: 2,
        flags: { regex: false },
      });
      expect(readFileSync(path, "utf8")).toBe("$x $x a.b");
      const none = await run("file_replace", {
        path,
        pattern: "zzz",
        replace: "",
        allow_no_match: false,
      });
      expect(none.failure?.message).toMatch(/did not match/);
    });

    it("check shows the diff without writing", async () => {
      const path = join(tempDir(), "c");
      writeFileSync(path, "old\n");
      const out = await run("replace", { path, regexp: "old", replace: "new" }, "check");
      expect(out.diff).toContain("-old\n+new");
      expect(readFileSync(path, "utf8")).toBe("old\n");
    });
  });

  describe("lineinfile", () => {
    it("replaces the last matching line, or appends; idempotent", async () => {
      const path = join(tempDir(), "l");
      writeFileSync(path, "a=1\nb=2\n");
      const args = { path, regexp: "^b=", line: "b=3" };
      expect((await run("lineinfile", args)).changed).toBe(true);
      expect(readFileSync(path, "utf8")).toBe("a=1\nb=3\n");
      expect((await run("lineinfile", args)).changed).toBe(false);
      await run("lineinfile", { path, line: "c=4" });
      expect(readFileSync(path, "utf8")).toBe("a=1\nb=3\nc=4\n");
      expect((await run("lineinfile", { path, line: "c=4" })).changed).toBe(false);
    });

    it("inserts after/before an anchor and removes lines", async () => {
      const path = join(tempDir(), "l");
      writeFileSync(path, "[s]\nx\n");
      await run("lineinfile", { path, line: "after", insertafter: "^\\[s\\]" });
      await run("lineinfile", { path, line: "first", insertbefore: "BOF" });
      expect(readFileSync(path, "utf8")).toBe("first\n[s]\nafter\nx\n");
      expect((await run("lineinfile", { path, regexp: "^x$", state: "absent" })).changed).toBe(
        true,
      );
      expect(readFileSync(path, "utf8")).toBe("first\n[s]\nafter\n");
    });

    it("needs create: true for a missing file", async () => {
      const path = join(tempDir(), "new");
      expect((await run("lineinfile", { path, line: "l" })).failure?.message).toMatch(
        /create: true/,
      );
      expect((await run("lineinfile", { path, line: "l", create: true })).changed).toBe(true);
      expect(readFileSync(path, "utf8")).toBe("l\n");
    });
  });
});
