/**
 * TargetFs on this machine, with node:fs: what the file actions always did, now
 * behind the interface that also reaches remote targets (shell-fs.ts). Writes are
 * staged in a temp file beside the destination, fsynced, then renamed; the rename
 * is made durable with an fsync of the directory where the file system allows it.
 */
import { execFile } from "node:child_process";
// `fsp.x` read when called, not node:fs/promises imported: in the CLI bundle that loads
// the promises API (and readline with it) at every start, for calls most runs never make.
import { type Stats, createReadStream, promises as fsp } from "node:fs";
import { homedir } from "node:os";
import { dirname } from "node:path";
import { promisify } from "node:util";
import { createHash } from "node:crypto";
import {
  type DirEntry,
  type FileData,
  type FileKind,
  type FileStat,
  type TargetFs,
  type WriteAttrs,
  resolveId,
  tempBeside,
} from "./fs.js";

const runFile = promisify(execFile);
/** Bound on `id`/`getent` (user databases may be remote: LDAP, sssd). */
const LOOKUP_TIMEOUT_MS = 5000;

export function localFs(): TargetFs {
  return {
    local: true,
    lstat: (p) => orNull(fsp.lstat(p)),
    stat: (p) => orNull(fsp.stat(p)),
    readFile: (p, max) => (max === undefined ? fsp.readFile(p) : readHead(p, max)),
    readStream: (p) => createReadStream(p, { highWaterMark: 1 << 20 }),
    readlink: (p) => fsp.readlink(p),
    realpath: (p) => fsp.realpath(p),
    readdir: async (p) =>
      (await fsp.readdir(p, { withFileTypes: true })).map(
        (e): DirEntry => ({ name: e.name, kind: kindOf(e) }),
      ),
    mkdir: async (p, mode) => {
      await fsp.mkdir(p, mode === undefined ? { recursive: true } : { recursive: true, mode });
    },
    remove: (p) => fsp.rm(p, { recursive: true, force: true }),
    symlink: (target, p) => fsp.symlink(target, p),
    hardlink: (existing, p) => fsp.link(existing, p),
    chmod: (p, mode) => fsp.chmod(p, mode),
    chown: async (p, user, group) => {
      const uid = await resolveId(user, userId, "user");
      const gid = await resolveId(group, groupId, "group");
      await fsp.chown(p, uid ?? -1, gid ?? -1);
    },
    rename: (from, to) => fsp.rename(from, to),
    touch: async (p) => {
      try {
        await fsp.writeFile(p, "", { flag: "wx" });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        const now = new Date();
        await fsp.utimes(p, now, now);
      }
    },
    copyFile: (from, to) => fsp.copyFile(from, to),
    writeAtomic: async (p, data, attrs) => commitFile(await stageFile(p, data), p, attrs),
    stage: stageFile,
    commit: commitFile,
    discard: discardFile,
    sha256: async (p) => {
      const h = createHash("sha256");
      for await (const chunk of createReadStream(p, { highWaterMark: 1 << 20 })) h.update(chunk);
      return h.digest("hex");
    },
    userId,
    groupId,
    home: async () => homedir(),
  };
}

function toStat(st: Stats): FileStat {
  const kind: FileKind = st.isFile()
    ? "file"
    : st.isDirectory()
      ? "directory"
      : st.isSymbolicLink()
        ? "symlink"
        : "other";
  return {
    kind,
    size: st.size,
    mode: st.mode & 0o7777,
    uid: st.uid,
    gid: st.gid,
    mtimeMs: st.mtimeMs,
    ino: st.ino,
    dev: st.dev,
  };
}

function kindOf(e: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }) {
  return e.isFile()
    ? "file"
    : e.isDirectory()
      ? "directory"
      : e.isSymbolicLink()
        ? "symlink"
        : "other";
}

async function orNull(p: Promise<Stats>): Promise<FileStat | null> {
  try {
    return toStat(await p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

async function readHead(path: string, max: number): Promise<Buffer> {
  const fh = await fsp.open(path, "r");
  try {
    const buf = Buffer.alloc(max);
    const { bytesRead } = await fh.read(buf, 0, max, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Text and bytes are one chunk; a stream is written as it comes. */
export function chunksOf(data: FileData): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  if (typeof data === "string") return [Buffer.from(data, "utf8")];
  return data instanceof Uint8Array ? [data] : data;
}

async function stageFile(
  path: string,
  data: FileData,
  inspect: (chunk: Uint8Array) => void = () => {},
): Promise<string> {
  const tmp = tempBeside(path);
  const fh = await fsp.open(tmp, "wx", 0o666);
  try {
    for await (const chunk of chunksOf(data)) {
      inspect(chunk);
      for (let at = 0; at < chunk.byteLength; ) {
        at += (await fh.write(chunk, at, chunk.byteLength - at)).bytesWritten;
      }
    }
    await fh.sync();
    await fh.close();
  } catch (e) {
    await fh.close().catch(() => {});
    await discardFile(tmp);
    throw e;
  }
  return tmp;
}

async function commitFile(tmp: string, path: string, attrs: WriteAttrs): Promise<void> {
  try {
    // Explicit chmod: the create mode of the temp file was masked by the umask.
    if (attrs.mode !== null) await fsp.chmod(tmp, attrs.mode);
    if (attrs.uid !== null || attrs.gid !== null)
      await fsp.chown(tmp, attrs.uid ?? -1, attrs.gid ?? -1);
    await fsp.rename(tmp, path);
  } catch (e) {
    await discardFile(tmp);
    throw e;
  }
  await syncDir(dirname(path));
}

async function discardFile(tmp: string): Promise<void> {
  await fsp.unlink(tmp).catch(() => {});
}

/** Makes the rename itself durable; not every file system allows fsync on a directory. */
async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await fsp.open(dir, "r");
    await fh.sync().finally(() => fh.close());
  } catch {
    // Durability of the directory entry is best effort.
  }
}

/** With `id -u` rather than /etc/passwd, so that LDAP and sssd users resolve too. */
async function userId(name: string): Promise<number | null> {
  try {
    const { stdout } = await runFile("id", ["-u", "--", name], { timeout: LOOKUP_TIMEOUT_MS });
    return Number(stdout.trim());
  } catch {
    return null;
  }
}

async function groupId(name: string): Promise<number | null> {
  try {
    // getent prints "name:x:gid:members".
    const { stdout } = await runFile("getent", ["group", name], { timeout: LOOKUP_TIMEOUT_MS });
    const gid = Number(stdout.split(":")[2]);
    return Number.isInteger(gid) ? gid : null;
  } catch {
    return null;
  }
}
