/**
 * `service` (SPEC §1.3): a system service through the target's service manager —
 * launchd where the target is macOS (service-launchd.ts), systemd elsewhere
 * (service-systemd.ts). Each writes the unit file (a plist for launchd) like
 * `template` does and plans, from the state it queried, the commands that bring
 * `enabled` and `state` to what is asked; this file runs them. Changed only when a
 * file, the enablement or the running state changed. Check mode queries the same
 * state and reports the plan without running it.
 */
import { failedWith, succeeded } from "./outcome.js";
import { runArgv, whyFailed } from "./run-argv.js";
import { launchdPlan } from "./service-launchd.js";
import { serviceArgs } from "./service-plan.js";
import { systemdPlan } from "./service-systemd.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";

export const service: ActionHandler = {
  name: "service",
  runsProcess: true,
  check: (ctx) => runService(ctx, true),
  apply: (ctx) => runService(ctx, false),
};

/**
 * The target's `os` fact: the plan's, when the playbook read it, else what `uname -s`
 * says there (the source facts/remote.ts reads it from), so that no fact has to be
 * gathered for this.
 */
async function targetOs(ctx: ActionContext): Promise<string> {
  const fact = ctx.evaluate("facts.os");
  if (fact.ok && typeof fact.value === "string" && fact.value !== "") return fact.value;
  const r = await runArgv(ctx, ["uname", "-s"], {}, false);
  return r.stdout.trim().toLowerCase();
}

async function runService(ctx: ActionContext, dry: boolean): Promise<ActionOutcome> {
  const args = serviceArgs(ctx.args);
  const plan =
    (await targetOs(ctx)) === "darwin"
      ? await launchdPlan(ctx, args, dry)
      : await systemdPlan(ctx, args, dry);
  if ("why" in plan) return failedWith("error", `service: ${plan.why}`, plan.result);
  const result = {
    ...plan.result,
    files: plan.files.filter((f) => f.changed).map((f) => f.path),
    commands: plan.commands.map((c) => `${plan.tool} ${c.join(" ")}`),
  };
  const diff = plan.files.map((f) => f.diff).join("");
  if (!dry) {
    for (const c of plan.commands) {
      const r = await plan.run(c);
      if (r.rc !== 0)
        return failedWith("rc", `service: ${whyFailed(r)}`, {
          ...result,
          rc: r.rc,
          stderr: r.stderr,
        });
    }
  }
  return succeeded(plan.changed, result, diff);
}
