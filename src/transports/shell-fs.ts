/**
 * TargetFs over any Transport, with POSIX shell commands that GNU coreutils and
 * busybox both understand (`stat -c`, falling back to BSD `stat -f`; `head -c`,
 * `mkdir -p`, `mv -f`, `ln`, `chmod`, `chown`, `rm -rf`, `readlink`, `sha256sum`).
 * One process per operation, run with the step's become, so that a root-owned file is
 * read and written as root. Paths are single-quoted into the script; file data goes
 * through the process's stdin (bytes, or chunks with backpressure), never the command
 * line. A write stages the bytes in a temp file beside the destination, then chmod,
 * chown and `mv -f` it over the destination; the temp file is removed on any failure.
 */
import { createHash } from "node:crypto";
import { dirname } from "node:path";
import {
  type DirEntry,
  type FileData,
  type FileKind,
  type FileStat,
  type TargetFs,
  type WriteAttrs,
  fsError,
  resolveId,
  tempBeside,
} from "./fs.js";
import { type Collected, collect, pull, streamProcess } from "./shell-fs-io.js";
import type { ProcessInput, Transport } from "./transport.js";

export interface ShellFsOptions {
  /** Run every operation through `sudo -n` (as `becomeUser`, root when null). */
  become?: boolean;
  becomeUser?: string | null;
  /** Cancels the operation in flight (its process group is killed); it fails with ABORT_ERR. */
  signal?: AbortSignal;
}

/** Single-quoted for sh: safe for any bytes but NUL, which no path holds. */
export function quote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** Messages of coreutils, busybox and the kernel, to the errno codes node:fs would give. */
const CODES: [RegExp, string][] = [
  [/No such file or directory/i, "ENOENT"],
  [/Permission denied/i, "EACCES"],
  [/Operation not permitted/i, "EPERM"],
  [/Not a directory/i, "ENOTDIR"],
  [/Is a directory/i, "EISDIR"],
  [/File exists/i, "EEXIST"],
  [/Too many levels of symbolic links/i, "ELOOP"],
  [/No space left on device/i, "ENOSPC"],
  [/Read-only file system/i, "EROFS"],
  [/Directory not empty/i, "ENOTEMPTY"],
  [/Disk quota exceeded/i, "EDQUOT"],
  [/Invalid cross-device link/i, "EXDEV"],
  [/sudo: .*(password|terminal)/i, "EBECOME"],
];

/** Every script starts so: messages in English (parsed above), fail on the first error. */
const PRELUDE = "export LC_ALL=C; set -e; ";

/** `stat` output: hex mode with type bits, size, uid, gid, mtime (s), inode, device. */
const STAT = `st() { stat $1 -c '%f %s %u %g %Y %i %d' -- "$2" 2>/dev/null || stat $1 -f '%Xp %z %u %g %m %i %d' -- "$2"; }; `;

const STAT_LINK = `if [ -e "$1" ] || [ -L "$1" ]; then st '' "$1"; else echo missing; fi`;
/** A dangling link is missing, as stat(2) has it; a loop of links is an error (ELOOP), also as stat(2). */
const STAT_FOLLOW = `if [ -e "$1" ]; then st -L "$1"; elif [ -L "$1" ]; then
e=$(stat -L -- "$1" 2>&1 >/dev/null || true); case "$e" in *"symbolic links"*) echo "$e" >&2; exit 1;; esac;
echo missing; else echo missing; fi`;

export function shellFs(transport: Transport, opts: ShellFsOptions = {}): TargetFs {
  const signal = opts.signal ?? new AbortController().signal;
  let home: Promise<string> | undefined;

  /** Runs `script` with `args` as $1..., stdout collected; a failure is thrown with its code. */
  const sh = async (
    what: string,
    path: string,
    script: string,
    args: string[],
    stdin: ProcessInput | null = null,
    cancel: AbortSignal = signal,
    become = opts.become === true,
  ): Promise<Collected> => {
    const out = await collect(
      transport,
      {
        command: { shell: PRELUDE + script.replaceAll("\n", " "), interpreter: "sh" },
        args: args.map(quote),
        stdin,
        become,
        becomeUser: opts.becomeUser ?? null,
        signal: cancel,
      },
      Number.POSITIVE_INFINITY,
    );
    if (out.aborted) throw fsError("ABORT_ERR", `${what} ${path}: cancelled`, path);
    if (out.spawnError !== null)
      throw fsError("ETARGET", `${what} ${path}: ${out.spawnError}`, path);
    if (out.rc !== 0) throw failure(what, path, out.stderr.toString("utf8"));
    return out;
  };
  const text = async (...a: Parameters<typeof sh>) => (await sh(...a)).stdout.toString("utf8");

  const lstatOrStat = async (path: string, follow: boolean): Promise<FileStat | null> => {
    const out = await text("stat", path, STAT + (follow ? STAT_FOLLOW : STAT_LINK), [path]);
    return out.trim() === "missing" ? null : parseStat(out, path);
  };

  const stage = async (
    path: string,
    data: FileData,
    inspect: (chunk: Uint8Array) => void = () => {},
  ): Promise<string> => {
    const tmp = tempBeside(path);
    const source = pull(data, inspect);
    try {
      // noclobber (set -C): never write into a file that is not ours.
      const out = await text(
        "write",
        path,
        `trap 'rm -f -- "$1"' EXIT; trap 'exit 1' HUP INT TERM; set -C; cat > "$1"; wc -c < "$1"; trap - EXIT`,
        [tmp],
        source.input,
        AbortSignal.any([signal, source.failed]),
      ).catch((e: unknown) => {
        throw source.error ?? e;
      });
      // The data's own failure (a read error, a size limit) ends its stream early: the
      // bytes staged are not all of it, so they must not be committed.
      if (source.error !== null) throw source.error;
      if (Number(out.trim()) !== source.bytes) {
        throw fsError("EIO", `write ${path}: ${out.trim()} bytes arrived of ${source.bytes}`, path);
      }
      return tmp;
    } catch (e) {
      await discard(tmp);
      throw e;
    }
  };

  const commit = async (tmp: string, path: string, attrs: WriteAttrs): Promise<void> => {
    const steps: string[] = [];
    if (attrs.mode !== null) steps.push(`chmod ${attrs.mode.toString(8)} -- "$1"`);
    if (attrs.uid !== null || attrs.gid !== null) {
      steps.push(`chown ${attrs.uid ?? ""}${attrs.gid === null ? "" : `:${attrs.gid}`} -- "$1"`);
    }
    try {
      await sh(
        "write",
        path,
        `trap 'rm -f -- "$1"' EXIT; ${steps.join("; ")}${steps.length > 0 ? "; " : ""}${RENAME}; trap - EXIT; sync -- "$2" 2>/dev/null || true`,
        [tmp, path, dirname(path)],
      );
    } catch (e) {
      await discard(tmp);
      throw e;
    }
  };

  const discard = async (tmp: string): Promise<void> => {
    await sh("remove", tmp, `rm -f -- "$1"`, [tmp]).catch(() => {});
  };

  const userId = async (name: string): Promise<number | null> => {
    const out = await text("id", name, `id -u -- "$1" 2>/dev/null || true`, [name]);
    return /^\d+$/.test(out.trim()) ? Number(out.trim()) : null;
  };
  const groupId = async (name: string): Promise<number | null> => {
    const out = await text(
      "getent",
      name,
      `getent group "$1" 2>/dev/null || grep "^$1:" /etc/group || true`,
      [name],
    );
    const gid = Number(out.split("\n")[0]?.split(":")[2]);
    return out.trim() !== "" && Number.isInteger(gid) ? gid : null;
  };

  return {
    local: transport.name === "local",
    lstat: (p) => lstatOrStat(p, false),
    stat: (p) => lstatOrStat(p, true),
    readFile: async (p, max) => {
      const read = max === undefined ? `cat -- "$1"` : `head -c ${Math.floor(max)} -- "$1"`;
      // cat of a directory fails as EISDIR in node; say so before reading it.
      const script = `if [ -d "$1" ]; then echo "$1: Is a directory" >&2; exit 1; fi; ${read}`;
      return (await sh("read", p, script, [p])).stdout;
    },
    readStream: (p) => streamOf(transport, opts, signal, p),
    readlink: async (p) => stripNewline(await text("readlink", p, `readlink -- "$1"`, [p])),
    realpath: async (p) =>
      stripNewline(
        await text(
          "realpath",
          p,
          `[ -e "$1" ] || { echo "$1: No such file or directory" >&2; exit 1; }; realpath -- "$1" 2>/dev/null || readlink -f -- "$1"`,
          [p],
        ),
      ),
    readdir: async (p) => parseEntries((await sh("readdir", p, READDIR, [p])).stdout),
    mkdir: async (p, mode) => {
      const m =
        mode === undefined ? "" : `-m "$(printf %o $((0${mode.toString(8)} & ~0$(umask))))"`;
      await sh("mkdir", p, `[ -d "$1" ] || mkdir -p ${m} -- "$1"`, [p]);
    },
    remove: async (p) => {
      await sh("remove", p, `rm -rf -- "$1"`, [p]);
    },
    symlink: async (target, p) => {
      await sh("symlink", p, `ln -s -- "$1" "$2"`, [target, p]);
    },
    hardlink: async (existing, p) => {
      await sh("link", p, `ln -- "$1" "$2"`, [existing, p]);
    },
    chmod: async (p, mode) => {
      await sh("chmod", p, `chmod ${mode.toString(8)} -- "$1"`, [p]);
    },
    chown: async (p, user, group) => {
      const uid = await resolveId(user, userId, "user");
      const gid = await resolveId(group, groupId, "group");
      if (uid === null && gid === null) return;
      await sh("chown", p, `chown -h ${uid ?? ""}${gid === null ? "" : `:${gid}`} -- "$1"`, [p]);
    },
    rename: async (from, to) => {
      await sh("rename", to, RENAME, [from, to]);
    },
    touch: async (p) => {
      await sh("touch", p, `touch -- "$1"`, [p]);
    },
    copyFile: async (from, to) => {
      await sh("copy", from, `cp -p -- "$1" "$2"`, [from, to]);
    },
    writeAtomic: async (p, data, attrs) => commit(await stage(p, data), p, attrs),
    stage,
    commit,
    discard,
    sha256: async (p) => {
      const out = await text("sha256", p, SHA256, [p]);
      const hex = /^[0-9a-f]{64}/.exec(out)?.[0];
      if (hex !== undefined) return hex;
      // Neither sha256sum nor shasum on the target: hash the bytes as they stream here.
      const h = createHash("sha256");
      for await (const chunk of streamOf(transport, opts, signal, p)) h.update(chunk);
      return h.digest("hex");
    },
    userId,
    groupId,
    // The login user's home, as `~` means to ssh and to a local cairn, become or not.
    home: () => {
      home ??= sh("home", "~", `printf '%s' "$HOME"`, [], null, signal, false).then((r) =>
        r.stdout.toString("utf8"),
      );
      return home;
    },
  };
}

/**
 * rename(2) as `mv -f`, but never into a directory: `-T` where mv has it (GNU, newer
 * busybox); elsewhere a destination that is a directory, or a link to one, is refused
 * or (a link) removed first.
 */
const RENAME = `if [ -d "$2" ] && [ ! -L "$2" ]; then echo "$2: Is a directory" >&2; exit 1; fi;
if [ -L "$2" ] && [ -d "$2" ]; then mv -fT -- "$1" "$2" 2>/dev/null || { rm -f -- "$2"; mv -f -- "$1" "$2"; };
else mv -f -- "$1" "$2"; fi`;

/** Each entry as a kind letter and its name, NUL-terminated (names may hold newlines). */
const READDIR = `[ -d "$1" ] || { if [ -e "$1" ]; then echo "$1: Not a directory" >&2; else echo "$1: No such file or directory" >&2; fi; exit 1; };
[ -r "$1" ] && [ -x "$1" ] || { echo "$1: Permission denied" >&2; exit 1; };
for f in "$1"/* "$1"/.[!.]* "$1"/..?*; do
if [ -L "$f" ]; then t=l; elif [ -d "$f" ]; then t=d; elif [ -f "$f" ]; then t=f; elif [ -e "$f" ]; then t=o; else continue; fi;
printf '%s%s\\0' "$t" "\${f##*/}"; done`;

/** The digest where the file is; "none" when the target has no tool for it. */
const SHA256 = `if command -v sha256sum >/dev/null 2>&1; then sha256sum -- "$1";
elif command -v shasum >/dev/null 2>&1; then shasum -a 256 -- "$1";
else [ -r "$1" ] || { echo "$1: Permission denied" >&2; exit 1; }; echo none; fi`;

const KINDS: Record<string, FileKind> = { l: "symlink", d: "directory", f: "file", o: "other" };

function parseEntries(out: Buffer): DirEntry[] {
  return out
    .toString("utf8")
    .split("\0")
    .filter((e) => e.length > 1)
    .map((e) => ({ kind: KINDS[e[0] as string] ?? "other", name: e.slice(1) }));
}

/** S_IFMT and its values, as stat(2) reports the file type in the mode. */
const S_IFMT = 0o170000;
const TYPES = new Map<number, FileKind>([
  [0o100000, "file"],
  [0o040000, "directory"],
  [0o120000, "symlink"],
]);

function parseStat(out: string, path: string): FileStat {
  const f = out.trim().split(/\s+/);
  const raw = Number.parseInt(f[0] ?? "", 16);
  const nums = f.slice(1, 7).map(Number);
  if (f.length < 7 || Number.isNaN(raw) || nums.some(Number.isNaN)) {
    throw fsError("ETARGET", `stat ${path}: cannot read '${out.trim()}'`, path);
  }
  const [size, uid, gid, mtime, ino, dev] = nums as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    kind: TYPES.get(raw & S_IFMT) ?? "other",
    size,
    mode: raw & 0o7777,
    uid,
    gid,
    mtimeMs: mtime * 1000,
    ino,
    dev,
  };
}

function failure(what: string, path: string, stderr: string): NodeJS.ErrnoException {
  const msg = stderr.trim().split("\n").filter(Boolean).pop() ?? "failed";
  const code = CODES.find(([re]) => re.test(stderr))?.[1] ?? "ETARGET";
  const hint =
    code === "EBECOME"
      ? " (become uses sudo -n: allow this user passwordless sudo on the target)"
      : "";
  return fsError(code, `${what} ${path}: ${msg}${hint}`, path);
}

function stripNewline(s: string): string {
  return s.endsWith("\n") ? s.slice(0, -1) : s;
}

/** A file's bytes as they come out of `cat`, with backpressure on the process's pipe. */
function streamOf(
  transport: Transport,
  opts: ShellFsOptions,
  signal: AbortSignal,
  path: string,
): AsyncIterable<Uint8Array> {
  return streamProcess(transport, {
    command: {
      shell: `${PRELUDE}if [ -d "$1" ]; then echo "$1: Is a directory" >&2; exit 1; fi; cat -- "$1"`,
      interpreter: "sh",
    },
    args: [quote(path)],
    stdin: null,
    become: opts.become === true,
    becomeUser: opts.becomeUser ?? null,
    signal,
    fail: (stderr) => failure("read", path, stderr),
  });
}
