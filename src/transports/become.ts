/**
 * Turns a ProcessSpec's command into the argv to spawn, adding `sudo -n` for become.
 * No shell is added for argv commands and no PATH lookup is made: spawn does that.
 */
import type { ProcessSpec } from "./transport.js";

export interface Invocation {
  file: string;
  args: string[];
  /** Whether the step env must be passed to the child through process env (false under sudo, which gets it as `env K=V` arguments). */
  envThroughProcess: boolean;
}

export function buildInvocation(spec: ProcessSpec, uid: number | null): Invocation {
  const argv =
    "argv" in spec.command
      ? spec.command.argv
      : [spec.command.interpreter, "-c", spec.command.shell];
  if (!needsSudo(spec, uid)) {
    return { file: argv[0] ?? "", args: argv.slice(1), envThroughProcess: true };
  }
  // sudo resets the environment, so the step's variables go through `env` after it.
  const user = spec.becomeUser === null ? [] : ["-u", spec.becomeUser];
  const envArgs = Object.entries(spec.env).map(([k, v]) => `${k}=${v}`);
  const withEnv = envArgs.length > 0 ? ["env", ...envArgs, ...argv] : argv;
  return { file: "sudo", args: ["-n", ...user, "--", ...withEnv], envThroughProcess: false };
}

function needsSudo(spec: ProcessSpec, uid: number | null): boolean {
  if (!spec.become) return false;
  const toRoot = spec.becomeUser === null || spec.becomeUser === "root";
  return !(uid === 0 && toRoot);
}
