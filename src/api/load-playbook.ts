/**
 * `loadPlaybook`: the I/O half of planning. Reads the playbook and everything it
 * includes from disk, gathers facts lazily, and hands all of it to the pure `compile`.
 */
import { basename, dirname, resolve } from "node:path";
import { localFacts } from "../facts/index.js";
import { diskView } from "./disk-view.js";
import { presetSearchPath } from "./preset-path.js";
import type { Diagnostic } from "../model/diagnostic.js";
import type { Plan, SecretSource } from "../model/plan.js";
import type { Result } from "../model/result.js";
import { type CompileOptions, compile } from "../plan/index.js";

export interface LoadOptions {
  /** Variables from --vars-file and --var, already merged. */
  vars?: Record<string, unknown>;
  tags?: string[];
  skipTags?: string[];
  env?: Record<string, string | undefined>;
  /** `--presets-dir` directories (searched before CAIRN_PRESETS_PATH and the defaults). */
  presetDirs?: string[];
  /** Secret sources from `--secrets-file`, paths relative to the playbook's directory. */
  secrets?: Record<string, SecretSource>;
  /** Receives warnings, e.g. a YAML line read leniently. */
  onWarning?: (warning: Diagnostic) => void;
}

export interface LoadedPlaybook {
  plan: Plan;
  /** Absolute directory of the playbook: the plan's paths are relative to it. */
  rootDir: string;
}

export function loadPlaybook(
  playbookPath: string,
  options: LoadOptions = {},
): Result<LoadedPlaybook, Diagnostic[]> {
  const { rootDir, inputs } = compileInputs(playbookPath, options);
  const plan = compile({ ...inputs, facts: { local: localFacts() } });
  if (!plan.ok) return plan;
  return { ok: true, value: { plan: plan.value, rootDir } };
}

/**
 * What `compile` gets from the disk and the options, but the facts: shared with fleet
 * planning (fleet-hosts.ts), which compiles the same inputs once per host.
 */
export function compileInputs(
  playbookPath: string,
  options: LoadOptions,
): { rootDir: string; inputs: Omit<CompileOptions, "facts"> } {
  const full = resolve(playbookPath);
  const rootDir = dirname(full);
  const env = options.env ?? process.env;
  return {
    rootDir,
    inputs: {
      root: basename(full),
      fs: diskView(rootDir),
      cliVars: options.vars ?? {},
      tags: options.tags ?? [],
      skipTags: options.skipTags ?? [],
      env,
      presetDirs: presetSearchPath(options.presetDirs ?? [], env),
      ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
      ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
    },
  };
}
