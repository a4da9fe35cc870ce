import {
  chmodSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../actions/test-context.js";
import type { TargetFs } from "./fs.js";
import { localFs } from "./local-fs.js";
import { localTransport } from "./local.js";
import { quote, shellFs } from "./shell-fs.js";
import { targetFsFor } from "./step-fs.js";
import type { ProcessSpec, Transport } from "./transport.js";

/** A local transport that records every spec it runs. */
function recording(): { transport: Transport; specs: ProcessSpec[] } {
  const inner = localTransport();
  const specs: ProcessSpec[] = [];
  return {
    specs,
    transport: {
      name: "rec",
      run: (s) => {
        specs.push(s);
        return inner.run(s);
      },
    },
  };
}

/** `n` chunks of `size` bytes each, made as they are read. */
async function* chunks(n: number, size: number, fail = false): AsyncIterable<Uint8Array> {
  for (let i = 0; i < n; i++) {
    if (fail && i === n / 2) throw new Error("source broke");
    yield Buffer.alloc(size, i % 251);
  }
}

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: NodeJS.ErrnoException) => e.code,
  );

const names = ["plain", "with space", "it's", 'dq"$HOME`x`', "-leading-dash", "new\nline", "ünï"];

describe.each([
  { name: "localFs", fs: (): TargetFs => localFs() },
  { name: "shellFs", fs: (): TargetFs => shellFs(localTransport()) },
])("TargetFs contract on $name", ({ fs: make }) => {
  const fs = make();

  it("writes, reads and lists any file name, bytes exact", async () => {
    const dir = tempDir();
    const data = Buffer.from([0, 1, 2, 255, 10, 39, 34]);
    for (const n of names)
      await fs.writeAtomic(join(dir, n), data, { mode: 0o600, uid: null, gid: null });
    expect(readdirSync(dir).sort()).toEqual([...names].sort());
    expect((await fs.readdir(dir)).map((e) => e.name).sort()).toEqual([...names].sort());
    for (const n of names) {
      expect(await fs.readFile(join(dir, n))).toEqual(data);
      expect(await fs.readFile(join(dir, n), 3)).toEqual(data.subarray(0, 3));
      expect(await fs.lstat(join(dir, n))).toMatchObject({ kind: "file", size: 7, mode: 0o600 });
    }
  });

  it("answers stat, links, realpath, sha256 and home as node:fs does", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "f"), "abc");
    symlinkSync("f", join(dir, "l"));
    symlinkSync("none", join(dir, "dangling"));
    mkdirSync(join(dir, "d"));
    expect((await fs.lstat(join(dir, "l")))?.kind).toBe("symlink");
    expect((await fs.stat(join(dir, "l")))?.kind).toBe("file");
    expect(await fs.stat(join(dir, "dangling"))).toBeNull();
    expect((await fs.lstat(join(dir, "dangling")))?.kind).toBe("symlink");
    expect((await fs.stat(join(dir, "d")))?.kind).toBe("directory");
    expect(await fs.readlink(join(dir, "l"))).toBe("f");
    expect(await fs.realpath(join(dir, "l"))).toBe(join(dir, "f"));
    expect(await fs.sha256(join(dir, "f"))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    const st = statSync(join(dir, "f"));
    expect(await fs.stat(join(dir, "f"))).toMatchObject({ ino: st.ino, uid: st.uid, gid: st.gid });
    expect(await fs.home()).toBe(process.env.HOME);
  });

  it("fails with node's error codes", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "f"), "x");
    mkdirSync(join(dir, "d"));
    expect(await codeOf(fs.readFile(join(dir, "none")))).toBe("ENOENT");
    expect(await codeOf(fs.readFile(join(dir, "d")))).toBe("EISDIR");
    expect(await codeOf(fs.readdir(join(dir, "f")))).toBe("ENOTDIR");
    expect(await codeOf(fs.rename(join(dir, "f"), join(dir, "d")))).toBe("EISDIR");
    expect(await codeOf(fs.readlink(join(dir, "f")))).not.toBe("ok");
    expect(await codeOf(fs.chown(join(dir, "f"), "cairn-no-such-user", null))).toBe("EINVAL");
  });

  it("makes, links, renames, touches, copies and removes", async () => {
    const dir = tempDir();
    await fs.mkdir(join(dir, "a", "b"), 0o750);
    expect(statSync(join(dir, "a", "b")).isDirectory()).toBe(true);
    await fs.mkdir(join(dir, "a", "b"));
    await fs.touch(join(dir, "a", "t"));
    expect(readFileSync(join(dir, "a", "t"), "utf8")).toBe("");
    await fs.symlink("t", join(dir, "a", "s"));
    await fs.hardlink(join(dir, "a", "t"), join(dir, "a", "h"));
    expect(statSync(join(dir, "a", "h")).ino).toBe(statSync(join(dir, "a", "t")).ino);
    await fs.chmod(join(dir, "a", "t"), 0o604);
    await fs.copyFile(join(dir, "a", "t"), join(dir, "a", "c"));
    expect(statSync(join(dir, "a", "c")).mode & 0o777).toBe(0o604);
    // A symlink to a directory is replaced, never moved into.
    symlinkSync(join(dir, "a", "b"), join(dir, "to-dir"));
    await fs.rename(join(dir, "a", "c"), join(dir, "to-dir"));
    expect((await fs.lstat(join(dir, "to-dir")))?.kind).toBe("file");
    expect(readdirSync(join(dir, "a", "b"))).toEqual([]);
    await fs.remove(join(dir, "a"));
    await fs.remove(join(dir, "a"));
    expect(readdirSync(dir)).toEqual(["to-dir"]);
  });

  it("stages a stream; a failing stream leaves no temp file and nothing at the path", async () => {
    const dir = tempDir();
    const path = join(dir, "out");
    let seen = 0;
    const tmp = await fs.stage(path, chunks(8, 1000), (c) => (seen += c.byteLength));
    expect(seen).toBe(8000);
    await fs.commit(tmp, path, { mode: 0o640, uid: null, gid: null });
    expect(statSync(path).size).toBe(8000);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    await expect(
      fs.writeAtomic(path, chunks(8, 1000, true), { mode: null, uid: null, gid: null }),
    ).rejects.toThrow("source broke");
    const limit = fs.stage(path, chunks(8, 1000), (c) => {
      if (c[0] === 5) throw new Error("too big");
    });
    await expect(limit).rejects.toThrow("too big");
    expect(readdirSync(dir)).toEqual(["out"]);
    expect(statSync(path).size).toBe(8000);
  });

  it("streams a file in chunks and stops the reader when the consumer stops", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "big"), Buffer.alloc(4 << 20, 7));
    let total = 0;
    for await (const c of fs.readStream(join(dir, "big"))) total += c.byteLength;
    expect(total).toBe(4 << 20);
    for await (const c of fs.readStream(join(dir, "big"))) {
      expect(c.byteLength).toBeGreaterThan(0);
      break;
    }
  });

  // Property: a reader that looks at the path while it is rewritten sees the old
  // bytes or the new ones, whole, never a prefix of the new.
  it("never shows a half-written file to a reader", async () => {
    const dir = tempDir();
    const path = join(dir, "f");
    const old = Buffer.alloc(1 << 20, 1);
    writeFileSync(path, old);
    const size = 16 << 20;
    let writing = true;
    const seen = new Set<number>();
    const reader = (async () => {
      while (writing) {
        const got = readFileSync(path);
        seen.add(got.length);
        expect(got.length === old.length ? got.equals(old) : got.length === size).toBe(true);
        await new Promise((r) => setImmediate(r));
      }
    })();
    await fs.writeAtomic(path, chunks(16, 1 << 20), { mode: null, uid: null, gid: null });
    writing = false;
    await reader;
    expect([...seen].every((n) => n === old.length || n === size)).toBe(true);
    expect(statSync(path).size).toBe(size);
  });
});

describe("shellFs", () => {
  it("quotes any argument for sh", () => {
    expect(quote("a'b")).toBe(`'a'\\''b'`);
    expect(quote("$x `y`")).toBe(`'$x \`y\`'`);
  });

  it("runs every operation with the step's become, but home as the login user", async () => {
    const { transport, specs } = recording();
    const fs = shellFs(transport, { become: true, becomeUser: "nobody" });
    const dir = tempDir();
    await fs.lstat(dir).catch(() => null);
    await fs
      .writeAtomic(join(dir, "x"), "data", { mode: null, uid: null, gid: null })
      .catch(() => {});
    expect(specs.length).toBeGreaterThanOrEqual(2);
    for (const s of specs) expect([s.become, s.becomeUser]).toEqual([true, "nobody"]);
    // The data went on stdin, not into the command line.
    expect(specs.some((s) => s.stdin !== null)).toBe(true);
    expect(specs.every((s) => !JSON.stringify(s.command).includes("data"))).toBe(true);
    specs.length = 0;
    await fs.home();
    expect(specs[0]?.become).toBe(false);
  });

  it("writes as the become user (runuser as root)", async () => {
    if (process.getuid?.() !== 0) return;
    const dir = tempDir();
    chmodSync(dir, 0o777);
    const fs = targetFsFor(localTransport(), {
      become: true,
      becomeUser: "nobody",
      signal: new AbortController().signal,
    });
    expect(fs.local).toBe(true);
    await fs.writeAtomic(join(dir, "n"), "by nobody", { mode: null, uid: null, gid: null });
    expect(statSync(join(dir, "n")).uid).toBe(65534);
    // Root-owned and 0600: nobody may not read it, and the error says so.
    writeFileSync(join(dir, "secret"), "s", { mode: 0o600 });
    await expect(fs.readFile(join(dir, "secret"))).rejects.toMatchObject({ code: "EACCES" });
  });

  it("stops an operation when the step is cancelled", async () => {
    const ac = new AbortController();
    const fs = shellFs(localTransport(), { signal: ac.signal });
    const dir = tempDir();
    const never = (async function* () {
      yield Buffer.from("x");
      await new Promise(() => {});
    })();
    const writing = fs.writeAtomic(join(dir, "f"), never, { mode: null, uid: null, gid: null });
    setTimeout(() => ac.abort(), 200);
    await expect(writing).rejects.toMatchObject({ code: "ABORT_ERR" });
    expect(readdirSync(dir)).toEqual([]);
  });
});
