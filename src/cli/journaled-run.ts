/**
 * Executing a plan from the CLI, journaled or not: the part shared by `run`, `apply`
 * and `resume`. The journaling itself is the library's (`executeInRun`); this file
 * adds the reporter, prints warnings, and maps the outcome to the exit code (0, 1,
 * 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP).
 */
import { executeInRun, newRunMeta } from "../api/durable.js";
import { execute, type ExecuteResult } from "../driver/index.js";
import type { OpenRun } from "../journal/store.js";
import type { RunEvent } from "../model/events.js";
import type { Plan } from "../model/plan.js";
import { selectReporter } from "../report/select.js";
import { dirname, join, relative } from "node:path";
import type { Transport } from "../transports/transport.js";
import { EXIT } from "./exit.js";
import { targetsFor } from "./targets.js";
import { writeFileAtomic } from "./write-file.js";
import { RunRecorder } from "./run-report.js";
import { stdoutSink } from "./stdout.js";

export interface RunSettings {
  dryRun: boolean;
  diff: boolean;
  jobs: number;
  keepGoing: boolean;
  compensate: boolean;
  json: boolean;
  durability: "group" | "strict";
  /** `--output-limit` in bytes; null = the default. */
  outputLimit: number | null;
  /** `--report FILE`: the HTML report, written when the run ends. */
  report?: string;
  /** Export the run as an OpenTelemetry trace when it ends. */
  otel?: boolean;
  /** `--forks`: hosts with a step running at once (fleet runs). */
  forks?: number;
}

export interface RunInput {
  plan: Plan;
  rootDir: string;
  playbook: string;
  /** The open run to journal into; null = not journaled (a dry run, `--no-journal`). */
  run: OpenRun | null;
  /** Fleet runs: transports opened while planning (reused), hosts left out of the plan. */
  remotes?: ReadonlyMap<string, Transport>;
  excluded?: readonly string[];
}

const SIGNAL_EXIT = { SIGINT: EXIT.interrupted, SIGTERM: 143, SIGHUP: 129 } as const;

export async function executeRun(input: RunInput, settings: RunSettings): Promise<number> {
  const out = stdoutSink();
  const reporter = await selectReporter({
    json: settings.json,
    stdout: out,
    stderr: { write: (s) => process.stderr.write(s), isTTY: process.stderr.isTTY === true },
    env: process.env,
    diff: settings.diff || settings.dryRun,
  });
  const want = { report: settings.report ?? null, otel: settings.otel === true };
  const recorder =
    want.report === null && !want.otel ? null : new RunRecorder(want, input.run?.records ?? []);
  const targets = targetsFor(input.plan, input.remotes);
  let failedHosts: string[] | null = null;
  const options = {
    ...(targets === undefined ? {} : { targets }),
    ...(settings.forks === undefined ? {} : { forks: settings.forks }),
    rootDir: input.rootDir,
    playbook: input.playbook,
    dryRun: settings.dryRun,
    jobs: settings.jobs,
    keepGoing: settings.keepGoing,
    compensate: settings.compensate,
    handleSignals: true,
    durability: settings.durability,
    ...(settings.outputLimit === null ? {} : { outputLimit: settings.outputLimit }),
    subscribers: [
      (e: RunEvent) => reporter.onEvent(e),
      (e: RunEvent) => recorder?.onEvent(e),
      (e: RunEvent) => {
        if (e.type === "run.completed" && e.failed_hosts !== undefined)
          failedHosts = e.failed_hosts;
      },
    ],
    onWarning: (w: string) => process.stderr.write(`warning: ${w}\n`),
  };
  const result =
    input.run === null
      ? await execute(input.plan, options)
      : await executeInRun(input.run, input.plan, options);
  reporter.close();
  out.flush();
  const excluded = input.excluded ?? [];
  if (failedHosts !== null || excluded.length > 0)
    writeFailedHosts(input.run, [...excluded, ...(failedHosts ?? [])]);
  if (recorder !== null) {
    const meta =
      input.run?.meta ??
      newRunMeta(result.runId, input.plan, input.rootDir, input.playbook, settings.dryRun);
    await recorder.finish(input.plan, { ...meta, outcome: result.outcome, stats: result.stats });
  }
  if (excluded.length > 0 && result.outcome === "success") return EXIT.failed;
  return exitCode(result);
}

/**
 * Fleet runs: the hosts that failed, one per line, in the run's directory, for
 * `--limit @.cairn/runs/<id>/failed-hosts` (Ansible's retry file). Written even when
 * empty, so that a retry of a run that then succeeded selects nothing.
 */
function writeFailedHosts(run: OpenRun | null, hosts: string[]): void {
  if (run === null) {
    if (hosts.length > 0) process.stderr.write(`failed hosts: ${hosts.join(", ")}\n`);
    return;
  }
  const file = join(dirname(run.outputDir), "failed-hosts");
  writeFileAtomic(file, hosts.map((h) => `${h}\n`).join(""));
  if (hosts.length > 0)
    process.stderr.write(
      `${hosts.length} failed host${hosts.length === 1 ? "" : "s"}: retry them with --limit @${relative(process.cwd(), file)}\n`,
    );
}

export function exitCode(result: ExecuteResult): number {
  if (result.signal !== null) return SIGNAL_EXIT[result.signal];
  if (result.outcome === "cancelled") return EXIT.interrupted;
  return result.outcome === "success" ? EXIT.ok : EXIT.failed;
}
