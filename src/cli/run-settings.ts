/** The flags of `run`, `apply` and `resume` that shape execution, checked once. */
import { parseSize } from "../schema/size.js";
import type { RunSettings } from "./journaled-run.js";
import type { StateDirFlags } from "./state-dir.js";

export interface RunFlags extends StateDirFlags {
  dryRun?: boolean;
  diff?: boolean;
  jobs: string;
  keepGoing?: boolean;
  compensate?: boolean;
  json?: boolean;
  durability: string;
  outputLimit?: string;
  runId?: string;
  /** false with `--no-journal`. */
  journal?: boolean;
  report?: string;
  otel?: boolean;
  forks?: string;
}

export function runSettings(flags: RunFlags): RunSettings | string {
  const jobs = Number(flags.jobs);
  if (!Number.isInteger(jobs) || jobs < 1)
    return `--jobs must be a positive whole number, got '${flags.jobs}'`;
  if (flags.durability !== "group" && flags.durability !== "strict")
    return `--durability must be 'group' or 'strict', got '${flags.durability}'`;
  const forks = flags.forks === undefined ? undefined : Number(flags.forks);
  if (forks !== undefined && (!Number.isInteger(forks) || forks < 1))
    return `--forks must be a positive whole number, got '${flags.forks}'`;
  const outputLimit = flags.outputLimit === undefined ? null : parseSize(flags.outputLimit);
  if (outputLimit === null && flags.outputLimit !== undefined)
    return `--output-limit must be a size such as 256KiB, 1MiB or a number of bytes, got '${flags.outputLimit}'`;
  return {
    dryRun: flags.dryRun === true,
    diff: flags.diff === true,
    jobs,
    keepGoing: flags.keepGoing === true,
    compensate: flags.compensate === true,
    json: flags.json === true,
    durability: flags.durability,
    outputLimit,
    ...(flags.report === undefined ? {} : { report: flags.report }),
    otel: tracingWanted(flags.otel, process.env),
    ...(forks === undefined ? {} : { forks }),
  };
}

/** `--otel`, or an OTLP endpoint in the environment (as every OpenTelemetry SDK reads it). */
function tracingWanted(flag: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return (
    flag === true ||
    (env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "") !== "" ||
    (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? "") !== ""
  );
}
