/**
 * What a dry run cannot know, and why (SPEC §3.4 `unknown`). In a dry run a process
 * step is not run, so its registered result is known only after a real run; a step
 * that reads such a value (in its arguments, `when` or `changed_when`) is predicted
 * `unknown` — "known after run" — never `skipped`, and its own registered result is
 * unknown in turn. This registry remembers, per registered name, the step whose run
 * would make it known and the steps it passed through, so that a reason reads:
 *
 *   content known after 'Read the kernel version' runs (hello.yml:24); mark that
 *   step check_mode: false if it only reads
 */
import type { PlanStep } from "../model/plan.js";

interface Source {
  /** The step that was not run. */
  root: { name: string; where: string };
  /** Unknown steps between the root and the reader, in order. */
  via: string[];
}

export class UnknownValues {
  private readonly byName = new Map<string, Source>();

  /** `step` was not run: its registered result is unknown. */
  notRun(step: PlanStep): void {
    if (step.register === null) return;
    this.byName.set(step.register, { root: { name: step.name, where: where(step) }, via: [] });
  }

  /** `step` was predicted unknown because it read `cause`: its result is unknown too. */
  unknownBecause(step: PlanStep, cause: string): void {
    if (step.register === null) return;
    const source = this.byName.get(cause);
    if (source === undefined) return;
    this.byName.set(step.register, { root: source.root, via: [...source.via, step.name] });
  }

  /** A registered value known again (a later step of the same name really ran). */
  known(step: PlanStep): void {
    if (step.register !== null) this.byName.delete(step.register);
  }

  /** The first of `names` that is unknown, if any. */
  find(names: readonly string[]): string | undefined {
    return names.find((n) => this.byName.has(n));
  }

  /** The reason a step reading `name` in `field` is unknown, in the user's words. */
  reason(field: string, name: string): string {
    const s = this.byName.get(name)!;
    const through = s.via.length > 0 ? ` through '${s.via.join("' and '")}'` : "";
    return `${describeField(field)} known after '${s.root.name}' runs (${s.root.where})${through}; mark that step check_mode: false if it only reads`;
  }
}

/** The reason when a step's own `changed_when`/`failed_when` reads its result. */
export function ownResultReason(field: string): string {
  return `${describeField(field)} known after run: ${field} reads the result of this step, which a dry run does not run`;
}

function describeField(field: string): string {
  if (field === "when") return "whether it runs is";
  if (field === "changed_when") return "whether it changes is";
  if (field === "failed_when") return "whether it fails is";
  if (field === "name") return "its name";
  const last = field.split(".").pop() ?? field;
  return last === "cmd" ? "command" : last;
}

function where(step: PlanStep): string {
  return `${step.origin.file}:${step.origin.line}`;
}

/** Actions that write a file, and the argument naming it. */
const FILE_ARG: Readonly<Record<string, string>> = {
  file: "path",
  copy: "dest",
  template: "dest",
  download: "dest",
  lineinfile: "path",
  replace: "path",
  unarchive: "dest",
};

/**
 * For a file step predicted unknown: what is known (path, mode, owner, group) as a
 * diff header, and the content marked as known after run. Null for other actions, or
 * when even the path is known only after run.
 */
export function unknownFileDiff(step: PlanStep): string | null {
  const arg = FILE_ARG[step.action];
  if (arg === undefined) return null;
  const path = step.args[arg];
  if (typeof path !== "string" || step.deferred[`args.${arg}`] !== undefined) return null;
  const known = ["mode", "owner", "group"]
    .filter((k) => step.args[k] !== undefined && step.deferred[`args.${k}`] === undefined)
    .map((k) => `${k} ${String(step.args[k])}`);
  const attrs = known.length > 0 ? ` (${known.join(", ")})` : "";
  return `--- ${path}\n+++ ${path}${attrs}\n@@ content known after run @@\n`;
}
