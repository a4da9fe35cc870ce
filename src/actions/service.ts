/**
 * `service` (SPEC §1.3), systemd: writes the unit file and drop-in when given (like
 * `template`: atomic, diffed, unchanged bytes left alone), reloads systemd when one
 * changed or `daemon_reload` asks, then brings `enabled` and `state` to what is asked.
 * Changed only when a file, the enablement or the running state changed (`restarted`
 * and `reloaded` always act). Check mode reads the same state and predicts it all.
 * On a machine without a running systemd (a container) it fails and says so.
 * node:fs reads a `src_template` (a controller file); unit files are the target's.
 */
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { ArgError, optBool, optRecord, optString, reqString } from "./args.js";
import { parseMode } from "./mode.js";
import { failedWith, succeeded } from "./outcome.js";
import { resolvePath, targetPath } from "./paths.js";
import { whyFailed } from "./run-argv.js";
import { dropinPath, systemctl, systemdAbsent, unitName, unitPath, unitStatus } from "./systemd.js";
import { lineColumn } from "./template.js";
import type { TargetFs } from "../transports/fs.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";
import { ensureContent } from "./write-file.js";

export const service: ActionHandler = {
  name: "service",
  runsProcess: true,
  check: (ctx) => runService(ctx, true),
  apply: (ctx) => runService(ctx, false),
};

type State = "started" | "stopped" | "restarted" | "reloaded";
const STATES: readonly State[] = ["started", "stopped", "restarted", "reloaded"];

/** The text of a unit or drop-in: `content`, or `src_template` rendered with the step's vars. */
async function fileText(
  ctx: ActionContext,
  part: Record<string, unknown>,
  what: string,
): Promise<string> {
  const content = optString(part, "content");
  if (content !== null) return content;
  const src = optString(part, "src_template");
  if (src === null) throw new ArgError(`'${what}' needs 'content' or 'src_template'`);
  let text: string;
  try {
    text = await readFile(resolvePath(ctx.rootDir, src), "utf8");
  } catch {
    throw new ArgError(`${what}: template not found: ${src}`);
  }
  const r = ctx.renderTemplate(text, {});
  if (r.ok) return r.value;
  const { line, column } = lineColumn(text, r.error.offset);
  throw new ArgError(`${src}:${line}:${column}: ${r.error.message}`);
}

interface FileChange {
  path: string;
  changed: boolean;
  diff: string;
}

async function ensureFile(
  fs: TargetFs,
  path: string,
  text: string,
  mode: number,
  dry: boolean,
): Promise<FileChange> {
  if (!dry) await fs.mkdir(dirname(path), 0o755);
  const r = await ensureContent(fs, {
    path,
    content: Buffer.from(text, "utf8"),
    backup: false,
    dry,
    mode,
    uid: null,
    gid: null,
  });
  if (r.error !== null) throw new ArgError(r.error);
  return { path, changed: r.changed, diff: r.diff };
}

async function runService(ctx: ActionContext, dry: boolean): Promise<ActionOutcome> {
  const unit = unitName(reqString(ctx.args, "name"));
  const state = optString(ctx.args, "state") as State | null;
  if (state !== null && !STATES.includes(state))
    throw new ArgError(`'state' must be one of ${STATES.join(", ")}`);
  const enabled =
    ctx.args.enabled === undefined || ctx.args.enabled === null
      ? null
      : optBool(ctx.args, "enabled", false);
  const unitArg = optRecord(ctx.args, "unit");
  const dropinArg = optRecord(ctx.args, "dropin");
  const result: Record<string, unknown> = { name: unit };
  const absent = await systemdAbsent(ctx);
  if (absent !== null) return failedWith("error", `service: ${absent}`, result);

  const files: FileChange[] = [];
  const unitDest = unitArg === null ? null : optString(unitArg, "dest");
  const unitFile = unitDest === null ? null : await targetPath(ctx, unitDest);
  if (unitArg !== null) {
    const text = await fileText(ctx, unitArg, "unit");
    files.push(
      await ensureFile(
        ctx.fs,
        unitPath(unit, unitFile),
        text,
        parseMode(unitArg.mode) ?? 0o644,
        dry,
      ),
    );
  }
  if (dropinArg !== null) {
    const text = await fileText(ctx, dropinArg, "dropin");
    const path = dropinPath(unit, unitFile, reqString(dropinArg, "name"));
    files.push(await ensureFile(ctx.fs, path, text, 0o644, dry));
  }
  const filesChanged = files.some((f) => f.changed);
  const commands: string[][] = [];
  // A changed unit file means nothing to systemd until it reloads them.
  if (optBool(ctx.args, "daemon_reload", false) || filesChanged) commands.push(["daemon-reload"]);

  const before = await unitStatus(ctx, unit);
  let changed = filesChanged;
  if (
    enabled === true &&
    !["enabled", "static", "alias", "indirect", "generated"].includes(before.enabled)
  ) {
    commands.push(["enable", unit]);
    changed = true;
  } else if (enabled === false && before.enabled === "enabled") {
    commands.push(["disable", unit]);
    changed = true;
  }
  const verb =
    state === "started"
      ? before.active
        ? null
        : "start"
      : state === "stopped"
        ? before.active
          ? "stop"
          : null
        : state === "restarted"
          ? "restart"
          : state === "reloaded"
            ? "reload"
            : null;
  if (verb !== null) {
    commands.push([verb, unit]);
    changed = true;
  }
  Object.assign(result, {
    files: files.filter((f) => f.changed).map((f) => f.path),
    commands: commands.map((c) => `systemctl ${c.join(" ")}`),
    status: { active: before.active, enabled: before.enabled },
  });
  const diff = files.map((f) => f.diff).join("");
  if (!dry) {
    for (const c of commands) {
      const r = await systemctl(ctx, c, true);
      if (r.rc !== 0)
        return failedWith("rc", `service: ${whyFailed(r)}`, {
          ...result,
          rc: r.rc,
          stderr: r.stderr,
        });
    }
  }
  return succeeded(changed, result, diff);
}
