import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../test-context.js";
import type { ArchiveEntry } from "./entry.js";
import { readTar } from "./tar.js";
import { makeArchive } from "./test-archives.js";

function entries(path: string): ArchiveEntry[] {
  const r = readTar(readFileSync(path));
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

const long = `${"d".repeat(80)}/${"n".repeat(90)}.txt`;

describe("readTar", () => {
  it("reads files, directories, symlinks and hard links with their modes", () => {
    const dir = tempDir();
    const tar = makeArchive(dir, "a.tar", "tar", [
      { kind: "dir", name: "top", mode: 0o750 },
      { kind: "file", name: "top/run.sh", data: "#!/bin/sh\n", mode: 0o755 },
      { kind: "symlink", name: "top/link", target: "run.sh" },
      { kind: "hardlink", name: "top/copy", target: "top/run.sh" },
    ]);
    expect(entries(tar)).toEqual([
      { kind: "dir", name: "top/", mode: 0o750 },
      { kind: "file", name: "top/run.sh", mode: 0o755, data: Buffer.from("#!/bin/sh\n") },
      { kind: "symlink", name: "top/link", target: "run.sh" },
      { kind: "file", name: "top/copy", mode: 0o644, data: Buffer.from("#!/bin/sh\n") },
    ]);
  });

  it.each(["gnu", "pax", "ustar"] as const)("reads a long name in %s format", (format) => {
    const dir = tempDir();
    const tar = makeArchive(
      dir,
      "long.tar",
      "tar",
      [
        { kind: "file", name: long, data: "x" },
        { kind: "symlink", name: "l", target: format === "ustar" ? "short" : long },
      ],
      format,
    );
    const [file, link] = entries(tar);
    expect(file).toMatchObject({ kind: "file", name: long });
    expect(link).toMatchObject({ kind: "symlink", target: format === "ustar" ? "short" : long });
  });

  it("reads what GNU tar writes, including the ./ prefix", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "src", "sub"), { recursive: true });
    writeFileSync(join(dir, "src", "sub", "f"), "data");
    symlinkSync("f", join(dir, "src", "sub", "l"));
    execFileSync("tar", ["-cf", join(dir, "t.tar"), "-C", join(dir, "src"), "."]);
    const byName = new Map(entries(join(dir, "t.tar")).map((e) => [e.name, e]));
    expect(byName.get("./sub/")?.kind).toBe("dir");
    expect(byName.get("./sub/f")).toMatchObject({ kind: "file", data: Buffer.from("data") });
    expect(byName.get("./sub/l")).toMatchObject({ kind: "symlink", target: "f" });
  });

  it("refuses a fifo by name, a corrupt header, a truncated body and a dangling hard link", () => {
    const dir = tempDir();
    const fifo = makeArchive(dir, "fifo.tar", "tar", [{ kind: "fifo", name: "pipe" }]);
    expect(readTar(readFileSync(fifo))).toEqual({
      ok: false,
      error: "unsupported tar entry type '6': pipe",
    });
    const good = readFileSync(
      makeArchive(dir, "g.tar", "tar", [{ kind: "file", name: "f", data: "abc" }]),
    );
    const corrupt = Buffer.from(good);
    corrupt[0] = 0x41;
    expect(readTar(corrupt)).toEqual({ ok: false, error: "corrupt tar header at byte 0" });
    expect(readTar(good.subarray(0, 512))).toEqual({
      ok: false,
      error: "truncated tar archive at f",
    });
    const dangling = makeArchive(dir, "h.tar", "tar", [
      { kind: "hardlink", name: "h", target: "nope" },
    ]);
    expect(readTar(readFileSync(dangling))).toEqual({
      ok: false,
      error: "hard link to a missing entry: h -> nope",
    });
  });
});
