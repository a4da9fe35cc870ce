/**
 * The human form of `cairn plan`: numbered steps with their action and what they will
 * do (the rendered command or path), loop context, why a step is skipped, what it
 * waits for, and where it came from.
 *
 *    3. Install package [install-package[1]]  (with_items #1 item=ripgrep)
 *       shell: echo "Installing ripgrep"
 *       at loops/with-items.yml:18:3
 */
import { styleText } from "node:util";
import { knownAfterRun } from "./known-after-run.js";
import type { Plan, PlanStep } from "../model/plan.js";

type Style = Parameters<typeof styleText>[0];

function summary(step: PlanStep): string {
  const a = step.args;
  const pick = (k: string) =>
    a[k] === undefined ? undefined : typeof a[k] === "string" ? a[k] : JSON.stringify(a[k]);
  switch (step.action) {
    case "shell":
    case "command":
      return pick("cmd") ?? pick("argv") ?? "";
    case "print":
      return pick("msg") ?? "";
    case "assert":
      return pick("that") ?? "";
    case "template":
    case "copy":
      return `${pick("src") ?? "(content)"} → ${pick("dest") ?? ""}`;
    default: {
      const parts = ["name", "names", "path", "dest", "state", "enabled", "url", "mode"].map((k) =>
        a[k] === undefined ? null : `${k}=${pick(k)}`,
      );
      return parts.filter((p) => p !== null).join(" ");
    }
  }
}

function loopText(step: PlanStep): string {
  if (step.loop === null) return "";
  const item =
    step.loop.type === "with_filetree"
      ? (step.loop.item as { path?: unknown }).path
      : step.loop.item;
  const shown = typeof item === "string" ? item : JSON.stringify(item);
  return `  (${step.loop.type} #${step.loop.index} item=${shown.length > 40 ? `${shown.slice(0, 37)}...` : shown})`;
}

function stepLines(
  step: PlanStep,
  paint: (s: Style, t: string) => string,
  width: number,
  afterRun: ReadonlyMap<string, string>,
): string[] {
  const lines: string[] = [];
  const num = `${String(step.seq).padStart(width)}.`;
  const head = `${num} ${paint("bold", step.name)} ${paint("dim", `[${step.id}]`)}${loopText(step)}`;
  lines.push(
    step.skipped === null ? head : `${head}  ${paint("cyan", `skipped: ${step.skipped.reason}`)}`,
  );
  const pad = " ".repeat(width + 2);
  const body = summary(step).split("\n");
  lines.push(
    `${pad}${paint("yellow", step.action)}: ${body[0]}${body.length > 1 ? paint("dim", ` (+${body.length - 1} lines)`) : ""}`,
  );
  if (step.when !== null && step.skipped === null) lines.push(`${pad}when: ${step.when}`);
  const waits = [...new Set(Object.values(step.deferred).flatMap((d) => d.needs))];
  if (waits.length > 0)
    lines.push(
      `${pad}${paint("magenta", `waits for: ${waits.join(", ")}`)} (rendered when it runs)`,
    );
  if (step.secrets !== undefined)
    lines.push(
      `${pad}${paint("magenta", `reads secret: ${step.secrets.join(", ")}`)} (read when it runs)`,
    );
  if (step.sensitive === true) lines.push(`${pad}sensitive: args, output and result hidden`);
  const unknown = afterRun.get(step.id);
  if (unknown !== undefined) lines.push(`${pad}${paint("magenta", `? dry run: ${unknown}`)}`);
  if (step.tags.length > 0) lines.push(`${pad}tags: ${step.tags.join(", ")}`);
  const policy = policyText(step);
  if (policy !== "") lines.push(`${pad}${policy}`);
  if (step.block !== null && step.block.role !== "main")
    lines.push(`${pad}${step.block.role} of ${step.block.id}`);
  if (step.needs.length > 1 || step.group !== null)
    lines.push(paint("dim", `${pad}needs: ${step.needs.join(", ") || "nothing"}`));
  if (step.compensate.length > 0) lines.push(`${pad}undone by: ${step.compensate.join(", ")}`);
  if (step.notify.length > 0) lines.push(`${pad}notifies: ${step.notify.join(", ")}`);
  const chain = step.origin.chain.map((c) => `${c.file}:${c.line}`).join(" → ");
  lines.push(
    paint(
      "dim",
      `${pad}at ${step.origin.file}:${step.origin.line}:${step.origin.column}${chain === "" ? "" : ` (via ${chain})`}`,
    ),
  );
  return lines;
}

export function formatPlanText(plan: Plan, opts: { color: boolean }): string {
  const paint = (s: Style, t: string) => (opts.color ? styleText(s, t) : t);
  const width = String(plan.steps.length + plan.handlers.length).length;
  const skipped = plan.steps.filter((s) => s.skipped !== null).length;
  const afterRun = knownAfterRun(plan);
  const out = [
    `${paint("bold", `Plan for ${plan.root}`)}: ${count(plan.steps.length, "step")}` +
      `${skipped > 0 ? ` (${skipped} skipped)` : ""}${plan.handlers.length > 0 ? `, ${count(plan.handlers.length, "handler")}` : ""}`,
    paint("dim", plan.digest),
    ...(plan.presets ?? []).map((p) => `preset ${paint("bold", p.name)} from ${p.file}`),
    "",
  ];
  // Compensation steps are in plan.steps but run only to undo a failed run: list them apart.
  const undo = new Set(plan.steps.flatMap((s) => s.compensate));
  for (const step of plan.steps)
    if (!undo.has(step.id)) out.push(...stepLines(step, paint, width, afterRun));
  if (undo.size > 0) {
    out.push("", paint("bold", "Compensations (run when the run fails, with --compensate):"));
    for (const step of plan.steps)
      if (undo.has(step.id)) out.push(...stepLines(step, paint, width, afterRun));
  }
  if (plan.handlers.length > 0) {
    out.push("", paint("bold", "Handlers (run at the end when notified):"));
    for (const step of plan.handlers) out.push(...stepLines(step, paint, width, afterRun));
  }
  return `${out.join("\n")}\n`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** `256 KiB`, `1 MiB`, `100 bytes`: a size as a person writes it. */
function bytes(n: number): string {
  for (const [unit, size] of [
    ["GiB", 1024 ** 3],
    ["MiB", 1024 ** 2],
    ["KiB", 1024],
  ] as const)
    if (n >= size && n % (size / 1024) === 0) return `${+(n / size).toFixed(2)} ${unit}`;
  return `${n} bytes`;
}

/** Timeout, retries, deadline, ignore_errors and the output settings in a few words, or "". */
function policyText(step: PlanStep): string {
  const p = step.policy;
  const ms = (n: number) => (n % 1000 === 0 ? `${n / 1000}s` : `${n}ms`);
  const parts: string[] = [];
  if (p.timeout_ms !== null) parts.push(`timeout ${ms(p.timeout_ms)}`);
  if (p.retry !== null && p.retry.attempts > 1) {
    const backoff = p.retry.backoff === 1 ? "" : ` ×${p.retry.backoff}`;
    parts.push(`up to ${p.retry.attempts} attempts, ${ms(p.retry.delay_ms)}${backoff} apart`);
  }
  if (p.deadline_ms !== null) parts.push(`deadline ${ms(p.deadline_ms)}`);
  if (p.ignore_errors) parts.push("errors ignored");
  // Older saved plans have neither field.
  if (typeof p.output_limit === "number") parts.push(`keeps ${bytes(p.output_limit)} of output`);
  if (p.register_full === true) parts.push("registers all output");
  return parts.join(", ");
}
