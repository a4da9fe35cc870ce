/**
 * What `service` shares between service managers (systemd, launchd): the step's args
 * read once, and the plan each manager makes from them and the state it queried —
 * files brought up to date, the commands still to run, whether anything changes —
 * which service.ts carries out (or, in a dry run, reports).
 */
import { ArgError, optBool, optRecord, optString, reqString } from "./args.js";
import type { ToolRun } from "./run-argv.js";
import type { FileChange } from "./service-files.js";
import type { ActionContext } from "./types.js";

export type State = "started" | "stopped" | "restarted" | "reloaded";
const STATES: readonly State[] = ["started", "stopped", "restarted", "reloaded"];

export interface ServiceArgs {
  name: string;
  state: State | null;
  /** null: leave enablement as it is. */
  enabled: boolean | null;
  daemonReload: boolean;
  unit: Record<string, unknown> | null;
  dropin: Record<string, unknown> | null;
}

export function serviceArgs(args: Record<string, unknown>): ServiceArgs {
  const state = optString(args, "state") as State | null;
  if (state !== null && !STATES.includes(state))
    throw new ArgError(`'state' must be one of ${STATES.join(", ")}`);
  return {
    name: reqString(args, "name"),
    state,
    enabled:
      args.enabled === undefined || args.enabled === null ? null : optBool(args, "enabled", false),
    daemonReload: optBool(args, "daemon_reload", false),
    unit: optRecord(args, "unit"),
    dropin: optRecord(args, "dropin"),
  };
}

export interface ServicePlan {
  /** The manager's tool (`systemctl`, `launchctl`), as the result's `commands` name it. */
  tool: string;
  /** Runs one of `commands` with the tool, its output passed on to the step's. */
  run(args: string[]): Promise<ToolRun>;
  /** The files written (or, in a dry run, that would be). */
  files: FileChange[];
  commands: string[][];
  changed: boolean;
  /** The registered result so far: the service's name, its state before, where it lives. */
  result: Record<string, unknown>;
}

/** A manager that cannot act here says why (no running manager, a disabled service...). */
export interface ServiceRefusal {
  why: string;
  result: Record<string, unknown>;
}

/** A service manager's part: from the args and what it queries now, its plan (files written unless `dry`). */
export type PlanService = (
  ctx: ActionContext,
  a: ServiceArgs,
  dry: boolean,
) => Promise<ServicePlan | ServiceRefusal>;
