/**
 * `service` with systemd: writes the unit file and drop-in when given, reloads systemd
 * when one changed or `daemon_reload` asks, then brings `enabled` and `state` to what
 * is asked, from what `systemctl` says now. `restarted` and `reloaded` always act. On
 * a machine without a running systemd (a container) it refuses and says why.
 */
import { optString, reqString } from "./args.js";
import { targetPath } from "./paths.js";
import { ensureFile, ensureUnitFile, fileText, type FileChange } from "./service-files.js";
import type { PlanService } from "./service-plan.js";
import { dropinPath, systemctl, systemdAbsent, unitName, unitPath, unitStatus } from "./systemd.js";

/** What `systemctl is-enabled` says of a unit that starts at boot (or cannot be enabled itself). */
const ENABLED = ["enabled", "static", "alias", "indirect", "generated"];

export const systemdPlan: PlanService = async (ctx, a, dry) => {
  const unit = unitName(a.name);
  const result: Record<string, unknown> = { name: unit, manager: "systemd" };
  const absent = await systemdAbsent(ctx);
  if (absent !== null) return { why: absent, result };

  const files: FileChange[] = [];
  const unitDest = a.unit === null ? null : optString(a.unit, "dest");
  const unitFile = unitDest === null ? null : await targetPath(ctx, unitDest);
  if (a.unit !== null) files.push(await ensureUnitFile(ctx, a.unit, unitPath(unit, unitFile), dry));
  if (a.dropin !== null) {
    const text = await fileText(ctx, a.dropin, "dropin");
    const path = dropinPath(unit, unitFile, reqString(a.dropin, "name"));
    files.push(await ensureFile(ctx, path, text, 0o644, dry));
  }
  const filesChanged = files.some((f) => f.changed);
  const commands: string[][] = [];
  // A changed unit file means nothing to systemd until it reloads them.
  if (a.daemonReload || filesChanged) commands.push(["daemon-reload"]);

  const before = await unitStatus(ctx, unit);
  let changed = filesChanged;
  if (a.enabled === true && !ENABLED.includes(before.enabled)) {
    commands.push(["enable", unit]);
    changed = true;
  } else if (a.enabled === false && before.enabled === "enabled") {
    commands.push(["disable", unit]);
    changed = true;
  }
  const verb =
    a.state === "started"
      ? before.active
        ? null
        : "start"
      : a.state === "stopped"
        ? before.active
          ? "stop"
          : null
        : a.state === "restarted"
          ? "restart"
          : a.state === "reloaded"
            ? "reload"
            : null;
  if (verb !== null) {
    commands.push([verb, unit]);
    changed = true;
  }
  result.status = { active: before.active, enabled: before.enabled };
  return {
    tool: "systemctl",
    run: (args) => systemctl(ctx, args, true),
    files,
    commands,
    changed,
    result,
  };
};
