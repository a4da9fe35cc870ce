/**
 * The file-system contract of a target: every operation a file action needs on the
 * machine it configures, async, so that the same action code serves this machine
 * (local-fs.ts, node:fs) and any other reached through a Transport (shell-fs.ts,
 * POSIX shell commands). Paths are absolute paths on the target.
 *
 * Errors: a missing path is `null` from lstat/stat (a question, not a failure);
 * every other failure is thrown as an Error carrying an errno-like `code` (ENOENT,
 * EACCES, EISDIR, ELOOP ..., ABORT_ERR when the step was cancelled) and the `path`,
 * as node:fs throws them, so that one handler (actions/registry.ts) serves both.
 */
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";

export type FileKind = "file" | "directory" | "symlink" | "other";

export interface FileStat {
  kind: FileKind;
  size: number;
  /** Permission bits only (mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  /** Modification time, ms since the epoch. */
  mtimeMs: number;
  /** Inode and device: two paths with the same pair are hard links of one file. */
  ino: number;
  dev: number;
}

export interface DirEntry {
  name: string;
  kind: FileKind;
}

/** Mode and owner wanted on a written file; null keeps what there is (or the default). */
export interface WriteAttrs {
  mode: number | null;
  uid: number | null;
  gid: number | null;
}

/** What a file is written from: text, bytes, or a stream of chunks (never held whole). */
export type FileData = string | Uint8Array | AsyncIterable<Uint8Array>;

export interface TargetFs {
  /**
   * The target is the machine cairn runs on, so relative target paths mean the same as
   * relative controller paths (the playbook's directory); elsewhere they are relative
   * to the target user's home.
   */
  readonly local: boolean;
  /** Without following a final symlink; null when nothing is there. */
  lstat(path: string): Promise<FileStat | null>;
  /** Following symlinks; null when the path (or where it leads) does not exist. */
  stat(path: string): Promise<FileStat | null>;
  /** The file's bytes, at most `maxBytes` of its head when given. */
  readFile(path: string, maxBytes?: number): Promise<Buffer>;
  /** The file's bytes in chunks, read as they are consumed (flat memory whatever the size). */
  readStream(path: string): AsyncIterable<Uint8Array>;
  readlink(path: string): Promise<string>;
  realpath(path: string): Promise<string>;
  /** Entries of a directory, without "." and "..", in no particular order. */
  readdir(path: string): Promise<DirEntry[]>;
  /** mkdir -p; `mode` (masked by the umask, as open(2) does) for the directories it creates. */
  mkdir(path: string, mode?: number): Promise<void>;
  /** rm -rf: nothing there afterwards, whatever was. */
  remove(path: string): Promise<void>;
  symlink(target: string, path: string): Promise<void>;
  hardlink(existing: string, path: string): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  /** null keeps the current owner or group. Names are resolved on the target. */
  chown(path: string, user: number | string | null, group: number | string | null): Promise<void>;
  /** rename(2): atomic, replaces a file or symlink at `to`, never moves into a directory. */
  rename(from: string, to: string): Promise<void>;
  /** Creates an empty file, or sets the times of an existing one to now. */
  touch(path: string): Promise<void>;
  /** Copies bytes and mode (for backups). */
  copyFile(from: string, to: string): Promise<void>;
  /**
   * Atomic replacement: the data goes to a temp file beside `path` (same directory, so
   * same file system), which gets `attrs` and is then renamed over `path`. A reader
   * never sees a half-written file; on any failure the temp file is removed.
   */
  writeAtomic(path: string, data: FileData, attrs: WriteAttrs): Promise<void>;
  /**
   * The first half of writeAtomic: the data in a new temp file beside `path`, whose
   * path is returned. Each chunk passes `inspect` first (hashing, a size limit that
   * throws); on any error the temp file is removed and the error rethrown.
   */
  stage(path: string, data: FileData, inspect?: (chunk: Uint8Array) => void): Promise<string>;
  /** The second half: gives the staged `tmp` its attrs and renames it over `path`. */
  commit(tmp: string, path: string, attrs: WriteAttrs): Promise<void>;
  /** Removes a staged temp file that is not wanted after all; never fails. */
  discard(tmp: string): Promise<void>;
  /** Hex sha256 of a file's bytes. */
  sha256(path: string): Promise<string>;
  /** Numeric id of a user or group name on the target; null when there is none. */
  userId(name: string): Promise<number | null>;
  groupId(name: string): Promise<number | null>;
  /** The target user's home directory (what `~` means in a target path). */
  home(): Promise<string>;
}

/** An error shaped as node:fs shapes its own. */
export function fsError(code: string, message: string, path?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), path === undefined ? { code } : { code, path });
}

/** A dot file in `path`'s directory; the random part keeps concurrent writers apart. */
export function tempBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.cairn-${randomBytes(6).toString("hex")}.tmp`);
}

/** A numeric id as is, a name looked up, null kept; an unknown name fails as chown would. */
export async function resolveId(
  v: number | string | null,
  lookup: (name: string) => Promise<number | null>,
  what: "user" | "group",
): Promise<number | null> {
  if (v === null || typeof v === "number") return v;
  if (/^\d+$/.test(v)) return Number(v);
  const id = await lookup(v);
  if (id === null) throw fsError("EINVAL", `unknown ${what} '${v}'`);
  return id;
}
