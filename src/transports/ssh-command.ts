/**
 * What cairn sends to sshd for one ProcessSpec. The exec request carries only a fixed
 * bootstrap (`exec [sudo -n [-u U] --] sh -c '<read a header from stdin, eval it>'`),
 * so nothing of the step (environment, script, secrets) is ever in a remote command
 * line or `ps`. The header is the first thing written on the channel's stdin, up to a
 * line holding a per-run random token; whatever follows is the step's own stdin.
 *
 * The header, run by that `sh` as the target user:
 *   1. finds its process group: sshd starts each session in a new session (setsid), so
 *      the shell is the group leader; under `sudo` with `use_pty` it leads the pty's
 *      session, and without it shares sudo's group, which holds only this step. The
 *      group id is read from /proc (Linux), else taken to be `$$`.
 *   2. exports the environment (sshd drops SSH "env" requests unless AcceptEnv allows),
 *   3. enters the working directory and checks that the program exists,
 *   4. reports `TOKEN PGID go|cwd|nocmd` on stderr (the transport strips that line and
 *      learns the group to kill on abort), then `exec`s the command, so the exit status
 *      and signal sshd reports are the command's own.
 * A script over MAX_HEADER_SCRIPT follows the header on stdin (`interpreter -s`), or,
 * when the step has stdin of its own, is uploaded first to a private temp file that the
 * header opens on fd 9 and unlinks before the command runs (see scriptPlacement).
 * `set -m` was ruled out to make the group: dash ignores it without a terminal.
 */
import type { ProcessSpec } from "./transport.js";

/** Beyond this, a script does not travel in the header (see scriptPlacement). */
export const MAX_HEADER_SCRIPT = 8192;

export interface RemoteCommand {
  /** The exec request: the bootstrap, identical for every step with the same become. */
  execLine: string;
  /** Written first on stdin; ends with the token line. */
  header: string;
  /** A long script written on stdin after the header, for the interpreter's `-s`; or null. */
  trailer: string | null;
}

/** The header's last line says how the start went. */
export type StartStatus = { pgid: number; status: "go" | "cwd" | "nocmd" };

/** POSIX single-quoting: safe for any string without NUL. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}

/** The exec request line, with `sudo -n` when the step becomes another user. */
export function execLine(token: string, become: boolean, becomeUser: string | null): string {
  const boot =
    `s=; while IFS= read -r l; do [ "$l" = ${token} ] && break; s="$s$l\n"; done; ` + `eval "$s"`;
  return `exec ${sudoPrefix(become, becomeUser)}sh -c ${shq(boot)}`;
}

/**
 * The exec line and header for `spec`. `scriptFile` is where a long script was
 * uploaded beforehand (see `scriptPlacement`), or null.
 */
export function buildRemoteCommand(
  spec: ProcessSpec,
  token: string,
  scriptFile: string | null = null,
): RemoteCommand {
  const lines = [
    "cairn_pg=$$",
    "{ read -r _ _ _ _ cairn_pg _ < /proc/$$/stat; } 2>/dev/null",
    ...Object.entries(spec.env).map(([k, v]) => `export ${shq(`${k}=${v}`)}`),
  ];
  const report = (status: StartStatus["status"]) =>
    `printf '%s %s %s\\n' ${token} "$cairn_pg" ${status} >&2`;
  if (scriptFile !== null) lines.push(`exec 9< ${shq(scriptFile)}; rm -f ${shq(scriptFile)}`);
  if (spec.cwd !== null)
    lines.push(`cd ${shq(spec.cwd)} 2>/dev/null || { ${report("cwd")}; exit 127; }`);
  const program = "argv" in spec.command ? (spec.command.argv[0] ?? "") : spec.command.interpreter;
  lines.push(`command -v ${shq(program)} >/dev/null 2>&1 || { ${report("nocmd")}; exit 127; }`);
  lines.push(report("go"), `exec ${finalArgv(spec, scriptFile)}`, token);
  const placement = scriptPlacement(spec);
  return {
    execLine: execLine(token, spec.become, spec.becomeUser),
    header: `${lines.join("\n")}\n`,
    trailer: placement === "stdin" && "shell" in spec.command ? spec.command.shell : null,
  };
}

/**
 * Where a shell script travels: in the header (short), after it on stdin for the
 * interpreter's `-s` (long, and the step has no stdin of its own), or through a temp
 * file uploaded on a first channel (long, with stdin): the header is read a byte at a
 * time by `read`, which is slow for long text.
 */
export function scriptPlacement(spec: ProcessSpec): "header" | "stdin" | "file" {
  if ("argv" in spec.command || spec.command.shell.length <= MAX_HEADER_SCRIPT) return "header";
  return spec.stdin === null ? "stdin" : "file";
}

/** The exec line that stores its stdin in a new private temp file and prints the path. */
export function uploadLine(become: boolean, becomeUser: string | null): string {
  const store = `umask 077; f=$(mktemp) && cat > "$f" && printf '%s' "$f"`;
  return `exec ${sudoPrefix(become, becomeUser)}sh -c ${shq(store)}`;
}

function finalArgv(spec: ProcessSpec, scriptFile: string | null): string {
  const command = spec.command;
  if ("argv" in command) return command.argv.map(shq).join(" ");
  if (scriptFile !== null) return `${shq(command.interpreter)} /dev/fd/9`;
  if (scriptPlacement(spec) === "stdin") return `${shq(command.interpreter)} -s`;
  return `${shq(command.interpreter)} -c ${shq(command.shell)}`;
}

/** Parses the status line, or null when `line` is not one (ordinary stderr). */
export function parseStatusLine(line: string, token: string): StartStatus | null {
  const parts = line.trimEnd().split(" ");
  if (parts.length !== 3 || parts[0] !== token) return null;
  const pgid = Number(parts[1]);
  const status = parts[2];
  if (!Number.isInteger(pgid) || (status !== "go" && status !== "cwd" && status !== "nocmd"))
    return null;
  return { pgid, status };
}

/** Kills a remote process group: the command for a second exec channel. */
export function killLine(
  pgid: number,
  signal: "TERM" | "KILL",
  become: boolean,
  becomeUser: string | null,
): string {
  // Not `kill -TERM -- -PGID`: dash's kill takes no `--` and reads `-s TERM -N` as options.
  const kill = `kill -${signal} -${pgid}`;
  return become ? `${sudoPrefix(become, becomeUser)}sh -c ${shq(kill)}` : kill;
}

function sudoPrefix(become: boolean, becomeUser: string | null): string {
  if (!become) return "";
  return `sudo -n ${becomeUser === null ? "" : `-u ${shq(becomeUser)} `}-- `;
}

/** sudo's answers when it would need to prompt, which `-n` turns into a failure. */
export function sudoNeedsPassword(stderr: string): boolean {
  return /a password is required|a terminal is required|must have a tty/.test(stderr);
}
