/**
 * Which reporter a run gets: `--json` → NDJSON events; a terminal outside CI → the live
 * view; anything else → plain lines. Colors follow NO_COLOR / FORCE_COLOR (no-color.org,
 * force-color.org): FORCE_COLOR=0 or false disables, any other non-empty value forces,
 * else a non-empty NO_COLOR disables, else colors only on a TTY.
 *
 * The live view (log-update, slice-ansi, wrap-ansi, signal-exit: ~90 kB and ~15% of a
 * small run's start-up) is imported only when it is chosen, so a run in CI, in a pipe or
 * with --json never loads it.
 */
import { jsonReporter } from "./json.js";
import { plainReporter } from "./plain.js";
import type { Output, Reporter } from "./reporter.js";

export type Env = Record<string, string | undefined>;

export interface SelectOptions {
  json: boolean;
  stdout: Output;
  /** Not written by any reporter yet: with --json, stdout holds only events and logs go here. */
  stderr: Output;
  env: Env;
  verbose?: boolean;
  diff?: boolean;
}

export async function selectReporter(opts: SelectOptions): Promise<Reporter> {
  const { stdout, env } = opts;
  if (opts.json) return jsonReporter(stdout);
  const common = {
    color: useColor(stdout, env),
    diff: opts.diff === true,
    verbose: opts.verbose === true,
  };
  if (stdout.isTTY && !isCI(env)) return (await import("./tty.js")).ttyReporter(stdout, common);
  return plainReporter(stdout, common);
}

export function useColor(out: Output, env: Env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return out.isTTY;
}

/** CI=true (GitHub, GitLab, CircleCI, …); CI=false or CI=0 is taken at its word. */
export function isCI(env: Env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== "" && ci !== "0" && ci !== "false";
}
