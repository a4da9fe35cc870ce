/**
 * `package` (SPEC §1.3): install, upgrade or remove system packages with the machine's
 * manager (apt, dnf, yum, pacman, zypper, apk, brew, port; detected unless `manager`
 * says). Idempotent: it asks the manager what is installed first and calls it once,
 * for the packages that need it; changed only when a package was installed, removed
 * or upgraded. Check mode answers from the same query and changes nothing.
 */
import { ArgError, optBool, optString } from "./args.js";
import { failedWith, succeeded } from "./outcome.js";
import {
  aptCandidates,
  aptSimulatedUpgrades,
  DETECT_SCRIPT,
  type Installed,
  MANAGERS,
  type Manager,
  type ManagerSpec,
  SPECS,
  WINDOWS_MANAGERS,
} from "./package-managers.js";
import { runArgv, whyFailed } from "./run-argv.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";

export const packageAction: ActionHandler = {
  name: "package",
  runsProcess: true,
  check: (ctx) => runPackage(ctx, true),
  apply: (ctx) => runPackage(ctx, false),
};

type State = "present" | "absent" | "latest";

function namesOf(args: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const key of ["name", "names"]) {
    const v = args[key];
    if (v === undefined || v === null) continue;
    const list = Array.isArray(v) ? v : [v];
    for (const n of list) {
      if (typeof n !== "string" || n.trim() === "")
        throw new ArgError(`'${key}' must be a package name or a list of names`);
      // A leading '-' would be read as an option by every manager.
      if (n.startsWith("-")) throw new ArgError(`'${n}' is not a package name`);
      if (!out.includes(n.trim())) out.push(n.trim());
    }
  }
  return out;
}

function extraOf(args: Record<string, unknown>): string[] {
  const v = args.extra;
  if (v === undefined || v === null) return [];
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v;
  if (typeof v === "string") return v.split(/\s+/).filter((x) => x !== "");
  throw new ArgError("'extra' must be a list of arguments");
}

async function chooseManager(ctx: ActionContext): Promise<Manager | string> {
  const asked = optString(ctx.args, "manager");
  if (asked !== null) {
    if ((WINDOWS_MANAGERS as readonly string[]).includes(asked))
      return `manager '${asked}' is for Windows, which cairn does not manage`;
    if (!(MANAGERS as readonly string[]).includes(asked))
      return `unknown manager '${asked}' (one of ${MANAGERS.join(", ")})`;
    return asked as Manager;
  }
  const r = await runArgv(ctx, ["sh", "-c", DETECT_SCRIPT], {}, false);
  const found = r.stdout.trim();
  if (r.rc === 0 && (MANAGERS as readonly string[]).includes(found)) return found as Manager;
  return `no package manager found on this machine (looked for ${MANAGERS.join(", ")})`;
}

async function query(ctx: ActionContext, spec: ManagerSpec, names: string[]): Promise<Installed> {
  // Exit codes are not errors here: every manager fails the query when one is missing.
  const r = await runArgv(ctx, spec.query(names), spec.env, false);
  if (r.spawnError !== null) throw new ArgError(`cannot ask the package manager: ${r.spawnError}`);
  return spec.parse(r.stdout, names);
}

/** Which of `names` the command would change, from what is installed now. */
async function plan(
  ctx: ActionContext,
  manager: Manager,
  state: State,
  names: string[],
  before: Installed,
): Promise<string[]> {
  if (state === "present") return names.filter((n) => !before.has(n));
  if (state === "absent") return names.filter((n) => before.has(n));
  if (manager !== "apt") return names.filter((n) => !before.has(n));
  const policy = await runArgv(ctx, ["apt-cache", "policy", ...names], SPECS.apt.env, false);
  const candidates = aptCandidates(policy.stdout);
  return names.filter(
    (n) => !before.has(n) || (candidates.has(n) && candidates.get(n) !== before.get(n)),
  );
}

/** apt knows before installing whether a package exists: say which do not, naming them. */
async function aptUnknown(ctx: ActionContext, missing: string[]): Promise<string[]> {
  if (missing.length === 0) return [];
  const policy = await runArgv(ctx, ["apt-cache", "policy", ...missing], SPECS.apt.env, false);
  const candidates = aptCandidates(policy.stdout);
  return missing.filter((n) => !candidates.has(n));
}

/** apt's own words about the packages it cannot find, from a simulated install (no side effect). */
async function aptSays(ctx: ActionContext, names: string[]): Promise<string> {
  const r = await runArgv(ctx, ["apt-get", "-s", "-q", "install", ...names], SPECS.apt.env, false);
  const lines = r.stderr.split("\n").filter((l) => l.startsWith("E: "));
  return lines.length > 0 ? lines.join(" / ") : "E: Unable to locate package";
}

async function runPackage(ctx: ActionContext, dry: boolean): Promise<ActionOutcome> {
  const names = namesOf(ctx.args);
  const state = (optString(ctx.args, "state") ?? "present") as State;
  if (!["present", "absent", "latest"].includes(state))
    throw new ArgError("'state' must be present, absent or latest");
  const extra = extraOf(ctx.args);
  const updateCache = optBool(ctx.args, "update_cache", false);
  const upgrade = optBool(ctx.args, "upgrade", false);
  const chosen = await chooseManager(ctx);
  if (!(MANAGERS as readonly string[]).includes(chosen))
    return failedWith("error", `package: ${chosen}`);
  const manager = chosen as Manager;
  const spec = SPECS[manager];
  const result: Record<string, unknown> = { manager, names, state };
  const fail = (r: Parameters<typeof whyFailed>[0], what: string) =>
    failedWith(
      "rc",
      `package: ${what}: ${whyFailed(r)}${ctx.exec.become ? "" : " (not root? add become: true)"}`,
      { ...result, rc: r.rc, stdout: r.stdout, stderr: r.stderr },
    );

  if (updateCache && !dry) {
    const r = await runArgv(ctx, spec.updateCache, spec.env, true);
    if (r.rc !== 0) return fail(r, "updating the package index");
  }
  let upgraded: string[] = [];
  if (upgrade) {
    const predicted =
      manager === "apt"
        ? aptSimulatedUpgrades(
            (await runArgv(ctx, ["apt-get", "-s", "upgrade", ...extra], spec.env, false)).stdout,
          )
        : null;
    if (!dry && (predicted === null || predicted.length > 0)) {
      const r = await runArgv(ctx, spec.upgradeAll(extra), spec.env, true);
      if (r.rc !== 0) return fail(r, "upgrading every package");
    }
    // Without a simulation (not apt), an upgrade that ran is taken as a change.
    upgraded = predicted ?? ["*"];
  }
  if (names.length === 0) {
    return succeeded(upgraded.length > 0, { ...result, upgraded, installed: [], removed: [] });
  }
  const before = await query(ctx, spec, names);
  const todo = await plan(ctx, manager, state, names, before);
  if (manager === "apt" && state !== "absent") {
    const unknown = await aptUnknown(
      ctx,
      todo.filter((n) => !before.has(n)),
    );
    if (unknown.length > 0) {
      const which = unknown.map((n) => `'${n}'`).join(", ");
      const hint = updateCache ? "" : " (add update_cache: true if the index is old)";
      return failedWith(
        "error",
        `package: apt has no package ${which}: ${await aptSays(ctx, unknown)}${hint}`,
        result,
      );
    }
  }
  const split = (changed: string[]) => ({
    installed: changed.filter((n) => !before.has(n) && state !== "absent"),
    removed: state === "absent" ? changed : [],
    upgraded: [...upgraded, ...changed.filter((n) => before.has(n) && state === "latest")],
  });
  if (dry || todo.length === 0)
    return succeeded(todo.length > 0 || upgraded.length > 0, { ...result, ...split(todo) });

  const argv =
    state === "absent"
      ? spec.remove(todo, extra)
      : state === "latest"
        ? spec.latest(todo, extra)
        : spec.install(todo, extra);
  const r = await runArgv(ctx, argv, spec.env, true);
  const verb = state === "absent" ? "removing" : "installing";
  if (r.rc !== 0) return fail(r, `${verb} ${todo.join(", ")}`);
  const after = await query(ctx, spec, names);
  const wrong = todo.filter((n) => (state === "absent" ? after.has(n) : !after.has(n)));
  if (wrong.length > 0) {
    return failedWith(
      "rc",
      `package: ${manager} succeeded but ${wrong.join(", ")} ${state === "absent" ? "is still installed" : "is not installed"}`,
      result,
    );
  }
  const changed = todo.filter(
    (n) => after.get(n) !== before.get(n) || after.has(n) !== before.has(n),
  );
  return succeeded(changed.length > 0 || upgraded.length > 0, {
    ...result,
    ...split(changed),
    cmd: argv.join(" "),
    rc: r.rc,
    stdout: r.stdout.trimEnd(),
    stderr: r.stderr.trimEnd(),
  });
}
