/**
 * What `service` asks of launchd (macOS), with launchctl's modern subcommands
 * (macOS 10.10+): the domain a service lives in (the user's GUI session, or the
 * system's as root), where its plist goes by default, and its state (loaded, running,
 * disabled) — each through `launchctl` run by the target's transport.
 */
import { ArgError } from "./args.js";
import { runArgv, type ToolRun, whyFailed } from "./run-argv.js";
import type { ActionContext } from "./types.js";

/** A label names the service in `DOMAIN/LABEL` specifiers and its plist file, so it holds no '/' or space. */
export function launchdLabel(name: string): string {
  if (/[/\s]/.test(name) || name.startsWith("-"))
    throw new ArgError(`'${name}' is not a launchd label (like com.example.app)`);
  return name;
}

/** The plist's place unless `unit.dest` says: a daemon's as root, else the user's agent's. */
export function defaultPlist(label: string, domain: string): string {
  return domain === "system"
    ? `/Library/LaunchDaemons/${label}.plist`
    : `~/Library/LaunchAgents/${label}.plist`;
}

export function launchctl(ctx: ActionContext, args: string[], stream = false): Promise<ToolRun> {
  return runArgv(ctx, ["launchctl", ...args], {}, stream);
}

/**
 * The domain the step's user acts in: `system` as root (with `become`), else the
 * user's GUI session `gui/UID`; or why it cannot be told.
 */
export async function launchdDomain(ctx: ActionContext): Promise<string | { why: string }> {
  const r = await runArgv(ctx, ["id", "-u"], {}, false);
  const uid = r.stdout.trim();
  if (r.rc !== 0 || !/^\d+$/.test(uid))
    return { why: `cannot tell the user's id on this machine: ${whyFailed(r)}` };
  return uid === "0" ? "system" : `gui/${uid}`;
}

export interface LaunchdStatus {
  /** Bootstrapped into the domain (what `launchctl print DOMAIN/LABEL` finds). */
  loaded: boolean;
  /** Its process runs now (`state = running`). */
  running: boolean;
  /** `launchctl disable` holds it back (`launchctl print-disabled DOMAIN`). */
  disabled: boolean;
}

/** launchctl's answer for a service the domain does not have (exit 113). */
const NOT_LOADED = /could not find service/i;

/** The service's state, or why launchd cannot be asked (no launchctl, no such domain). */
export async function launchdStatus(
  ctx: ActionContext,
  domain: string,
  label: string,
): Promise<LaunchdStatus | { why: string }> {
  const p = await launchctl(ctx, ["print", `${domain}/${label}`]);
  if (p.spawnError !== null)
    return { why: `launchctl is not installed on this machine (${p.spawnError})` };
  const loaded = p.rc === 0;
  if (!loaded && !NOT_LOADED.test(`${p.stderr}\n${p.stdout}`)) return { why: unusable(domain, p) };
  const d = await launchctl(ctx, ["print-disabled", domain]);
  if (d.rc !== 0) return { why: unusable(domain, d) };
  return {
    loaded,
    running: loaded && /^\s*state = (.*)$/m.exec(p.stdout)?.[1]?.trim() === "running",
    disabled: isDisabled(d.stdout, label),
  };
}

function unusable(domain: string, r: ToolRun): string {
  const gui = domain.startsWith("gui/")
    ? " (a gui/UID domain exists only while that user is logged in at the screen; a daemon goes to the system domain with become)"
    : "";
  return `launchd domain ${domain} cannot be used here${gui}: ${whyFailed(r)}`;
}

/**
 * Whether `launchctl print-disabled` lists `label` as disabled: `"LABEL" => disabled`
 * (macOS 11 and later) or `"LABEL" => true` (before). Not listed means enabled.
 */
export function isDisabled(listing: string, label: string): boolean {
  for (const line of listing.split("\n")) {
    const m = /^\s*"(.+)"\s*=>\s*(\w+)/.exec(line);
    if (m?.[1] === label) return m[2] === "disabled" || m[2] === "true";
  }
  return false;
}
