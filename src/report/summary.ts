/**
 * The end-of-run summary shared by the plain and TTY reporters:
 *
 *   Failed steps:
 *     Fetch repo at tasks/git.yml:12:5: exit code 1
 *       included from site.yml:3:3
 *   failed: ok=3 changed=2 skipped=1 failed=1 ignored=0 blocked=2 cancelled=0 in 1.4s
 *
 * The counts line comes last so that it is the line left in view; `compensated=N` and
 * `rescued=N` are added only when compensation ran or a block rescued a failure.
 */
import type { RunEvent } from "../model/events.js";
import { formatDuration, formatOrigin, type Paint, painter, type Style } from "./format.js";

export type RunCompletedEvent = Extract<RunEvent, { type: "run.completed" }>;
export type StepFailedEvent = Extract<RunEvent, { type: "step.failed" }>;

export interface SummaryOptions {
  color: boolean;
  dryRun?: boolean;
}

const OUTCOME_STYLES: Record<RunCompletedEvent["outcome"], Style> = {
  success: ["bold", "green"],
  failed: ["bold", "red"],
  cancelled: ["bold", "yellow"],
};

/** The summary as lines ending in `\n`; `failures` are the steps that failed the run. */
export function formatSummary(
  run: RunCompletedEvent,
  failures: readonly StepFailedEvent[],
  opts: SummaryOptions,
): string {
  const paint = painter(opts.color);
  const lines: string[] = [];
  if (failures.length > 0) {
    // A run that succeeded despite failed steps had them rescued by a block.
    lines.push(paint("bold", run.outcome === "success" ? "Rescued failures:" : "Failed steps:"));
    for (const f of failures) lines.push(...failureLines(f, paint));
  }
  const reran = run.reran ?? [];
  if (reran.length > 0) {
    const which = reran.length > 3 ? `${reran.slice(0, 3).join(", ")}, …` : reran.join(", ");
    lines.push(
      paint(
        "yellow",
        `${reran.length} ${reran.length === 1 ? "step" : "steps"} ran again after an interruption (${which})`,
      ),
    );
  }
  if (run.hosts !== undefined) lines.push(...hostTable(run.hosts, paint));
  lines.push(countsLine(run, opts.dryRun === true, paint));
  return lines.join("\n") + "\n";
}

/**
 * Fleet runs: one line per host, Ansible's PLAY RECAP as a table.
 *
 *   host      ok  changed  failed  unreachable  skipped
 *   web1       3        1       0            0        0
 */
function hostTable(hosts: NonNullable<RunCompletedEvent["hosts"]>, paint: Paint): string[] {
  const names = Object.keys(hosts);
  const width = Math.max(4, ...names.map((n) => n.length));
  const cols = ["ok", "changed", "failed", "unreachable", "skipped"] as const;
  const header = `  ${"host".padEnd(width)}  ${cols.map((c) => c.padStart(c.length)).join("  ")}`;
  const rows = names.map((name) => {
    const c = hosts[name]!;
    const style: Style = c.unreachable > 0 ? "magenta" : c.failed > 0 ? "red" : "green";
    const cells = cols.map((k) => String(c[k]).padStart(k.length)).join("  ");
    return `  ${paint(style, name.padEnd(width))}  ${cells}`;
  });
  return [paint("bold", header), ...rows];
}

function failureLines(f: StepFailedEvent, paint: Paint): string[] {
  const [first = "", ...rest] = f.error.split("\n");
  const lines = [
    `  ${paint("red", f.name)} ${paint("dim", `at ${formatOrigin(f.origin)}:`)} ${first}`,
  ];
  for (const line of rest) lines.push(`    ${line}`);
  const chain = f.origin.chain ?? [];
  if (chain.length > 0) {
    const sites = chain.map(formatOrigin).reverse().join(", ");
    lines.push(paint("dim", `    included from ${sites}`));
  }
  return lines;
}

function countsLine(run: RunCompletedEvent, dryRun: boolean, paint: Paint): string {
  const s = run.stats;
  const counts: [string, number, Style][] = [
    ["ok", s.ok, "green"],
    ["changed", s.changed, "yellow"],
    ["skipped", s.skipped, "cyan"],
    ["failed", s.failed, "red"],
    ["ignored", s.ignored, "red"],
    ["blocked", s.blocked, "magenta"],
    ["cancelled", s.cancelled, "gray"],
  ];
  if (s.unknown !== undefined) counts.push(["unknown", s.unknown, "magenta"]);
  if (s.compensated > 0) counts.push(["compensated", s.compensated, "blue"]);
  if (s.rescued > 0) counts.push(["rescued", s.rescued, "green"]);
  const parts = counts.map(([k, n, style]) => (n > 0 ? paint(style, `${k}=${n}`) : `${k}=${n}`));
  const outcome = paint(OUTCOME_STYLES[run.outcome], run.outcome) + (dryRun ? " (dry run)" : "");
  return `${outcome}: ${parts.join(" ")} ${paint("dim", `in ${formatDuration(run.duration_ms)}`)}`;
}
