/**
 * What `service` asks of systemd: the unit's full name and file paths, whether systemd
 * runs here at all, and the unit's current state — each through `systemctl` run by
 * the target's transport.
 */
import { posix } from "node:path";
import { runArgv, type ToolRun } from "./run-argv.js";
import type { ActionContext } from "./types.js";

export const UNIT_DIR = "/etc/systemd/system";
const UNIT_SUFFIX = /\.(service|socket|timer|target|mount|automount|path|slice|scope|swap|device)$/;

/** `nginx` → `nginx.service`; a name with a unit type keeps it. */
export function unitName(name: string): string {
  return UNIT_SUFFIX.test(name) ? name : `${name}.service`;
}

/** Where the unit file goes: `unit.dest`, else /etc/systemd/system/UNIT. */
export function unitPath(unit: string, dest: string | null): string {
  return dest ?? posix.join(UNIT_DIR, unit);
}

/** A drop-in lives in UNIT.d/ beside the unit file (as systemd reads it); `.conf` is added when missing. */
export function dropinPath(unit: string, unitDest: string | null, name: string): string {
  const file = name.endsWith(".conf") ? name : `${name}.conf`;
  return posix.join(posix.dirname(unitPath(unit, unitDest)), `${unit}.d`, file);
}

export function systemctl(ctx: ActionContext, args: string[], stream = false): Promise<ToolRun> {
  return runArgv(ctx, ["systemctl", ...args], { SYSTEMD_PAGER: "", SYSTEMD_COLORS: "0" }, stream);
}

/**
 * Null when systemd manages this machine; otherwise why not, in words. A container
 * without systemd answers `offline` (and "System has not been booted with systemd").
 */
export async function systemdAbsent(ctx: ActionContext): Promise<string | null> {
  const r = await systemctl(ctx, ["is-system-running"]);
  if (r.spawnError !== null) return "systemctl is not installed on this machine";
  const state = r.stdout.trim();
  if (["running", "degraded", "starting", "initializing", "maintenance"].includes(state))
    return null;
  const said = r.stderr.trim().split("\n")[0] ?? "";
  return `systemd is not running on this machine (${state === "" ? said || `systemctl exit ${r.rc}` : `'${state}'`}${state !== "" && said !== "" ? `: ${said}` : ""}); a container has no service manager`;
}

export interface UnitStatus {
  active: boolean;
  /** `enabled`, `disabled`, `static`, `masked` ... as `systemctl is-enabled` says. */
  enabled: string;
}

export async function unitStatus(ctx: ActionContext, unit: string): Promise<UnitStatus> {
  const active = await systemctl(ctx, ["is-active", unit]);
  const enabled = await systemctl(ctx, ["is-enabled", unit]);
  return {
    active: active.stdout.trim() === "active" || active.stdout.trim() === "reloading",
    enabled: enabled.stdout.trim() || "unknown",
  };
}
