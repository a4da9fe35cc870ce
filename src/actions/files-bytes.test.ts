/** Bytes, not text: binary copies, bounded diffs, and writes through symlinks with a hop limit. */
import { createHash } from "node:crypto";
import {
  readFileSync,
  readdirSync,
  readlinkSync,
  mkdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DIFF_MAX_BYTES } from "./diff.js";
import { MAX_SYMLINK_HOPS } from "./paths.js";
import { FILE_SYSTEMS, runOn, tempDir } from "./test-context.js";

describe.each(FILE_SYSTEMS)("on $name", ({ fs }) => {
  const run = runOn(fs);

  /** Every byte value, with a NUL and sequences that are not UTF-8. */
  const BINARY = Buffer.from([...Array(256).keys(), 0xc3, 0x28, 0xff, 0xfe, 0, 0x80]);
  const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

  describe("copy of a binary src", () => {
    it("copies bytes exactly, compares by hash, and shows no text diff", async () => {
      const root = tempDir();
      writeFileSync(join(root, "b.bin"), BINARY);
      writeFileSync(join(root, "out.bin"), "old text\n");
      const args = { src: "b.bin", dest: "out.bin", mode: "0600" };
      const check = await run("copy", args, "check", { rootDir: root });
      expect(check.changed).toBe(true);
      expect(check.diff).toBe(
        `Binary files ${join(root, "out.bin")} and ${join(root, "out.bin")} differ (9 → ${BINARY.length} bytes)\n`,
      );
      expect(readFileSync(join(root, "out.bin"), "utf8")).toBe("old text\n");
      const out = await run("copy", args, "apply", { rootDir: root });
      expect(out.changed).toBe(true);
      expect(out.result.checksum).toBe(sha(BINARY));
      expect(readFileSync(join(root, "out.bin")).equals(BINARY)).toBe(true);
      expect(statSync(join(root, "out.bin")).mode & 0o777).toBe(0o600);
      // No temp file left beside it.
      expect(readdirSync(root).sort()).toEqual(["b.bin", "out.bin"]);
      expect((await run("copy", args, "apply", { rootDir: root })).changed).toBe(false);
    });

    it("summarises a text change above the diff limit with the sizes", async () => {
      const root = tempDir();
      const big = "x".repeat(DIFF_MAX_BYTES + 1);
      writeFileSync(join(root, "big.txt"), big);
      const dest = join(root, "out.txt");
      writeFileSync(dest, "small\n");
      const check = await run("copy", { src: "big.txt", dest: "out.txt" }, "check", {
        rootDir: root,
      });
      expect(check.diff).toBe(
        `Files ${dest} and ${dest} differ (6 → ${big.length} bytes); not shown above ${DIFF_MAX_BYTES} bytes\n`,
      );
    });

    it("still shows a unified diff for a small text src", async () => {
      const root = tempDir();
      writeFileSync(join(root, "s.txt"), "a\nb\n");
      writeFileSync(join(root, "out.txt"), "a\n");
      const check = await run("copy", { src: "s.txt", dest: "out.txt" }, "check", {
        rootDir: root,
      });
      expect(check.diff).toContain("@@ -1 +1,2 @@\n a\n+b\n");
    });
  });

  describe("a diff with more changed lines than it is worth showing", () => {
    it("is summarised instead of being computed", async () => {
      const dir = tempDir();
      const dest = join(dir, "f");
      const lines = (tag: string) =>
        Array.from({ length: 3000 }, (_, i) => `${tag}${i}\n`).join("");
      writeFileSync(dest, lines("old"));
      const check = await run("file", { path: dest, content: lines("new") }, "check");
      expect(check.diff).toBe(`Files ${dest} and ${dest} differ (more than 2000 lines changed)\n`);
    });
  });

  describe("writes through symlinks", () => {
    const loop = () => {
      const dir = tempDir();
      symlinkSync("b", join(dir, "a"));
      symlinkSync("a", join(dir, "b"));
      writeFileSync(join(dir, "t.j2"), "hello\n");
      writeFileSync(join(dir, "s.bin"), BINARY);
      return dir;
    };
    const message = (name: string) => `${name} a: too many levels of symbolic links`;

    it.each([
      ["copy", { content: "x", dest: "a" }, "dest"],
      ["copy", { src: "s.bin", dest: "a" }, "dest"],
      ["file", { path: "a", content: "x" }, "path"],
      ["template", { src: "t.j2", dest: "a" }, "dest"],
      ["lineinfile", { path: "a", line: "x" }, "path"],
      ["replace", { path: "a", regexp: "x" }, "path"],
    ] as const)("%s %j fails fast on a link loop", async (action, args, name) => {
      const rootDir = loop();
      for (const mode of ["check", "apply"] as const) {
        const out = await run(action, { ...args }, mode, { rootDir });
        expect(out.failure).toEqual({ reason: "error", message: message(name) });
      }
    });

    it("names the path below dest that loops (a copy into a directory)", async () => {
      const dir = loop();
      mkdirSync(join(dir, "d"));
      symlinkSync("s.bin2", join(dir, "d", "s.bin"));
      symlinkSync("s.bin", join(dir, "d", "s.bin2"));
      const out = await run("copy", { src: "s.bin", dest: "d/" }, "apply", { rootDir: dir });
      expect(out.failure?.message).toBe("dest d/s.bin: too many levels of symbolic links");
    });

    it("follows a chain of 40 links, and refuses 41", async () => {
      const dir = tempDir();
      const chain = (name: string, hops: number) => {
        for (let i = 0; i < hops; i++) symlinkSync(`${name}${i + 1}`, join(dir, `${name}${i}`));
      };
      chain("ok", MAX_SYMLINK_HOPS);
      chain("no", MAX_SYMLINK_HOPS + 1);
      const fine = await run("copy", { content: "x", dest: "ok0" }, "apply", { rootDir: dir });
      expect(fine.failure).toBeNull();
      expect(readFileSync(join(dir, `ok${MAX_SYMLINK_HOPS}`), "utf8")).toBe("x");
      const far = await run("copy", { content: "x", dest: "no0" }, "apply", { rootDir: dir });
      expect(far.failure?.message).toBe("dest no0: too many levels of symbolic links");
    });

    it("copies a binary src through a link to its target, keeping the link", async () => {
      const dir = tempDir();
      writeFileSync(join(dir, "s.bin"), BINARY);
      writeFileSync(join(dir, "target"), "old");
      symlinkSync("target", join(dir, "link"));
      const out = await run("copy", { src: "s.bin", dest: "link" }, "apply", { rootDir: dir });
      expect(out.changed).toBe(true);
      expect(readFileSync(join(dir, "target")).equals(BINARY)).toBe(true);
      expect(readlinkSync(join(dir, "link"))).toBe("target");
      expect(readdirSync(dir).sort()).toEqual(["link", "s.bin", "target"]);
    });
  });
});
