import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../test-context.js";
import { crc32 } from "./crc32.js";
import { readZip } from "./zip.js";
import { makeArchive } from "./test-archives.js";

describe("readZip", () => {
  it.each(["zip", "zip-stored"] as const)(
    "reads %s entries with Unix modes and symlinks",
    (fmt) => {
      const dir = tempDir();
      const zip = makeArchive(dir, "a.zip", fmt, [
        { kind: "dir", name: "top/", mode: 0o700 },
        { kind: "file", name: "top/run.sh", data: "echo hi\n".repeat(50), mode: 0o755 },
        { kind: "symlink", name: "top/link", target: "run.sh" },
        { kind: "file", name: "top/dos.txt", data: "no unix attributes" },
      ]);
      expect(readZip(readFileSync(zip))).toEqual({
        ok: true,
        value: [
          { kind: "dir", name: "top/", mode: 0o700 },
          {
            kind: "file",
            name: "top/run.sh",
            mode: 0o755,
            data: Buffer.from("echo hi\n".repeat(50)),
          },
          { kind: "symlink", name: "top/link", target: "run.sh" },
          {
            kind: "file",
            name: "top/dos.txt",
            mode: null,
            data: Buffer.from("no unix attributes"),
          },
        ],
      });
    },
  );

  it("reads what `python3 -m zipfile -c` writes", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "src", "sub"), { recursive: true });
    writeFileSync(join(dir, "src", "sub", "f"), "data");
    execFileSync("python3", ["-m", "zipfile", "-c", join(dir, "z.zip"), "src"], { cwd: dir });
    const r = readZip(readFileSync(join(dir, "z.zip")));
    expect(r.ok && r.value.map((e) => [e.kind, e.name])).toEqual([
      ["dir", "src/"],
      ["dir", "src/sub/"],
      ["file", "src/sub/f"],
    ]);
  });

  it("catches a corrupt entry by its CRC, and refuses what is not a zip", () => {
    const dir = tempDir();
    const zip = readFileSync(
      makeArchive(dir, "s.zip", "zip-stored", [{ kind: "file", name: "f", data: "hello" }]),
    );
    const at = zip.indexOf("hello");
    zip[at] = 0x48;
    expect(readZip(zip)).toEqual({
      ok: false,
      error: "corrupt zip entry (size or CRC mismatch): f",
    });
    expect(readZip(Buffer.from("PK\x03\x04 but no directory"))).toEqual({
      ok: false,
      error: "not a zip archive: no end of central directory",
    });
  });

  it("computes the standard CRC-32", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });
});
