/** Runs the built CLI (dist/) as a user would, capturing output and exit code. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
export const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
/** mooncake's own material (MIT), read where it is: `../shared/compat/mooncake/` beside the repository. */
export const MOONCAKE = fileURLToPath(new URL("../../../shared/compat/mooncake/", import.meta.url));

/** The mooncake compat playbooks under test/fixtures/, relative to FIXTURES. */
export const COMPAT_PLAYBOOKS = [
  "compat/conditionals/config.yml",
  "compat/execution-control/config.yml",
  "compat/files-and-directories/config.yml",
  "compat/hello-world/config.yml",
  "compat/loops/with-items.yml",
  "compat/multi-file-configs/main.yml",
  "compat/tags/config.yml",
  "compat/templates/config.yml",
];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cairn(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; input?: string; timeoutMs?: number } = {},
): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? FIXTURES,
    env: { ...process.env, NO_COLOR: "1", CI: "1", ...opts.env },
    input: opts.input ?? "",
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function events(stdout: string): Record<string, unknown>[] {
  return stdout
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The output lines of `step.output` events (each carries a batch of lines), of one step if given. */
export function outputLines(evs: Record<string, unknown>[], stepId?: string): string[] {
  return evs
    .filter((e) => e.type === "step.output" && (stepId === undefined || e.step_id === stepId))
    .flatMap((e) => String(e.line).split("\n"));
}
