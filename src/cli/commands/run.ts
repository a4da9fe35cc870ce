/**
 * `cairn run <playbook>`: plan, then execute with a reporter. Exit 0 on success, 1
 * when a step failed, 130 when interrupted (SPEC §4).
 */
import { execute } from "../../driver/index.js";
import type { RunEvent } from "../../model/events.js";
import { parseSize } from "../../schema/size.js";
import { selectReporter } from "../../report/select.js";
import { EXIT } from "../exit.js";
import { type PlanFlags, planFromFlags } from "../plan-input.js";
import { stdoutSink } from "../stdout.js";

export interface RunFlags extends PlanFlags {
  dryRun?: boolean;
  diff?: boolean;
  jobs: string;
  keepGoing?: boolean;
  compensate?: boolean;
  json?: boolean;
  outputLimit?: string;
}

export async function runCommand(playbook: string, flags: RunFlags): Promise<number> {
  const jobs = Number(flags.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) {
    process.stderr.write(`error: --jobs must be a positive whole number, got '${flags.jobs}'\n`);
    return EXIT.invalid;
  }
  const outputLimit = flags.outputLimit === undefined ? undefined : parseSize(flags.outputLimit);
  if (outputLimit === null) {
    process.stderr.write(
      `error: --output-limit must be a size such as 256KiB, 1MiB or a number of bytes, got '${flags.outputLimit}'\n`,
    );
    return EXIT.invalid;
  }
  const loaded = await planFromFlags(playbook, flags);
  if (typeof loaded === "number") return loaded;
  const out = stdoutSink();
  const reporter = selectReporter({
    json: flags.json === true,
    stdout: out,
    stderr: { write: (s) => process.stderr.write(s), isTTY: process.stderr.isTTY === true },
    env: process.env,
    diff: flags.diff === true || flags.dryRun === true,
  });
  const result = await execute(loaded.plan, {
    rootDir: loaded.rootDir,
    playbook,
    dryRun: flags.dryRun === true,
    jobs,
    keepGoing: flags.keepGoing === true,
    compensate: flags.compensate === true,
    handleSignals: true,
    ...(outputLimit === undefined ? {} : { outputLimit }),
    subscribers: [(e: RunEvent) => reporter.onEvent(e)],
  });
  reporter.close();
  out.flush();
  if (result.outcome === "cancelled") return EXIT.interrupted;
  return result.outcome === "success" ? EXIT.ok : EXIT.failed;
}
