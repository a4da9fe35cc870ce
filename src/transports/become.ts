/**
 * Turns a ProcessSpec's command into the argv to spawn, adding `sudo -n` for become
 * (or `runuser`, when root becomes another user: root needs no sudo, which may not
 * even be installed). No shell is added for argv commands and no PATH lookup is made:
 * spawn does that. A shell script too long for the kernel's argument limit is fed to
 * the shell on stdin instead (`sh -s`), when the step has no stdin of its own.
 */
import type { ProcessSpec } from "./transport.js";

export interface Invocation {
  file: string;
  args: string[];
  /** Whether the step env must be passed to the child through process env (false under sudo, which gets it as `env K=V` arguments). */
  envThroughProcess: boolean;
  /** A script to write on the child's stdin (see MAX_SCRIPT_ARG), or null. */
  stdinScript: string | null;
}

/** Beyond this, a script goes on stdin: Linux refuses a single argument over 128 KiB. */
const MAX_SCRIPT_ARG = 100_000;

export function buildInvocation(
  spec: ProcessSpec,
  uid: number | null,
  runuser: string | null = null,
): Invocation {
  const viaStdin =
    "shell" in spec.command && spec.stdin === null && spec.command.shell.length > MAX_SCRIPT_ARG;
  const argv =
    "argv" in spec.command
      ? spec.command.argv
      : viaStdin
        ? [spec.command.interpreter, "-s"]
        : [spec.command.interpreter, "-c", spec.command.shell];
  const stdinScript = viaStdin && "shell" in spec.command ? spec.command.shell : null;
  if (!needsSudo(spec, uid)) {
    return { file: argv[0] ?? "", args: argv.slice(1), envThroughProcess: true, stdinScript };
  }
  if (uid === 0 && runuser !== null && spec.becomeUser !== null) {
    // runuser keeps the environment (but HOME, SHELL, USER, LOGNAME), so no env arguments.
    return {
      file: runuser,
      args: ["-u", spec.becomeUser, "--", ...argv],
      envThroughProcess: true,
      stdinScript,
    };
  }
  // sudo resets the environment, so the step's variables go through `env` after it.
  const user = spec.becomeUser === null ? [] : ["-u", spec.becomeUser];
  const envArgs = Object.entries(spec.env).map(([k, v]) => `${k}=${v}`);
  const withEnv = envArgs.length > 0 ? ["env", ...envArgs, ...argv] : argv;
  return {
    file: "sudo",
    args: ["-n", ...user, "--", ...withEnv],
    envThroughProcess: false,
    stdinScript,
  };
}

export function needsSudo(
  spec: Pick<ProcessSpec, "become" | "becomeUser">,
  uid: number | null,
): boolean {
  if (!spec.become) return false;
  const toRoot = spec.becomeUser === null || spec.becomeUser === "root";
  return !(uid === 0 && toRoot);
}
