/**
 * `service` with launchd (macOS): writes the plist (`unit`) when given, then brings
 * `enabled` and `state` to what is asked, from what `launchctl print` says now.
 * launchd's model, and how the action's words map onto it:
 * - `started`: loaded (`bootstrap`); launchd then runs it as its plist says (RunAtLoad,
 *   KeepAlive, StartInterval ...), so a periodic job is not run by every apply.
 * - `stopped`: not loaded (`bootout`; a KeepAlive job would come back after a mere kill).
 * - `restarted`: loaded, then `kickstart -k` (kill, and run it now). launchd has no
 *   reload: `reloaded` restarts too, as mooncake does.
 * - `enabled`: `enable`/`disable` (launchd's override, read at login or boot).
 * - A changed plist of a loaded service is loaded again (bootout, bootstrap): launchd
 *   reads a plist only when it loads it. `daemon_reload` has nothing to do here.
 * - `dropin` is systemd's: launchd has none, so it is an error, not ignored.
 * A disabled service that would have to be loaded is refused before anything is written
 * or run; so is a missing plist, when the step runs (not in a dry run: an earlier step
 * may write it).
 */
import { ArgError, optString } from "./args.js";
import { defaultPlist, launchctl, launchdDomain, launchdLabel, launchdStatus } from "./launchd.js";
import { targetPath } from "./paths.js";
import { ensureUnitFile } from "./service-files.js";
import type { PlanService, ServiceArgs } from "./service-plan.js";
import type { ActionContext } from "./types.js";

export const launchdPlan: PlanService = async (ctx, a, dry) => {
  const label = launchdLabel(a.name);
  if (a.dropin !== null)
    throw new ArgError(
      "'dropin' is systemd's: launchd (macOS) has no drop-in files; put these settings in the plist ('unit')",
    );
  const result: Record<string, unknown> = { name: label, manager: "launchd" };
  const domain = await launchdDomain(ctx);
  if (typeof domain !== "string") return { why: domain.why, result };
  const dest = a.unit === null ? null : optString(a.unit, "dest");
  const plist = await targetPath(ctx, dest ?? defaultPlist(label, domain));
  Object.assign(result, { domain, plist });
  // What the plist write would change, known first: a refused step writes nothing.
  const staged = a.unit === null ? null : await ensureUnitFile(ctx, a.unit, plist, true);
  const plistChanged = staged?.changed === true;
  const before = await launchdStatus(ctx, domain, label);
  if ("why" in before) return { why: before.why, result };
  result.status = {
    loaded: before.loaded,
    active: before.running,
    enabled: before.disabled ? "disabled" : "enabled",
  };

  const target = `${domain}/${label}`;
  const commands: string[][] = [];
  // First: launchd refuses to bootstrap a disabled service.
  if (a.enabled === true && before.disabled) commands.push(["enable", target]);
  else if (a.enabled === false && !before.disabled) commands.push(["disable", target]);
  const load = ["bootstrap", domain, plist];
  const unload = ["bootout", target];
  const disabledAfter = a.enabled === null ? before.disabled : !a.enabled;
  // A disabled service's new plist is read when it is next loaded, after `enable`.
  const reload = before.loaded && !disabledAfter && plistChanged ? [unload, load] : [];
  if (a.state === "stopped") {
    if (before.loaded) commands.push(unload);
  } else {
    commands.push(...(before.loaded ? reload : a.state === null ? [] : [load]));
    if (a.state === "restarted" || a.state === "reloaded")
      commands.push(["kickstart", "-k", target]);
  }

  if (commands.some((c) => c[0] === "bootstrap")) {
    const why = await cannotLoad(ctx, a, disabledAfter, plist, target, dry);
    if (why !== null) return { why, result };
  }
  const written =
    a.unit !== null && plistChanged && !dry
      ? await ensureUnitFile(ctx, a.unit, plist, false)
      : staged;
  return {
    tool: "launchctl",
    run: (args) => launchctl(ctx, args, true),
    files: written === null ? [] : [written],
    commands,
    changed: plistChanged || commands.length > 0,
    result,
  };
};

/** Why `bootstrap` would fail, said before anything runs (launchctl itself says only "Input/output error"). */
async function cannotLoad(
  ctx: ActionContext,
  a: ServiceArgs,
  disabled: boolean,
  plist: string,
  target: string,
  dry: boolean,
): Promise<string | null> {
  if (a.enabled === false)
    return `'enabled: false' and 'state: ${a.state}' do not go together: launchd does not load a disabled service`;
  if (disabled)
    return `${target} is disabled, and launchd does not load a disabled service: add 'enabled: true'`;
  // A dry run does not know the plist is missing: an earlier step may write it.
  if (!dry && a.unit === null && (await ctx.fs.stat(plist)) === null)
    return `no plist at ${plist}: give 'unit' (content or src_template), or 'unit.dest' where it is`;
  return null;
}
