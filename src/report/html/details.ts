/**
 * Per-step details, collapsed (`<details>`): the error or reason, the output (stderr
 * marked), the diff (added and removed lines coloured), handler notifications and
 * compensations. Only steps with something to show get an entry.
 */
import type { StepModel } from "../../journal/run-model.js";
import { esc, fmtMs, statusClass } from "./escape.js";

export function hasDetails(s: StepModel): boolean {
  return (
    s.output.length > 0 ||
    s.diff !== null ||
    s.error !== null ||
    s.reason !== null ||
    s.notified.length > 0 ||
    s.compensated_by.length > 0 ||
    s.attempts > 1
  );
}

/** Output kept in one page, all steps together: a run that printed gigabytes still opens. */
export const PAGE_OUTPUT_CAP = 4 * 1024 * 1024;

export function renderDetails(steps: readonly StepModel[]): string {
  const out: string[] = [];
  let budget = PAGE_OUTPUT_CAP;
  steps.forEach((s, i) => {
    if (!hasDetails(s)) return;
    const size = s.output.reduce((n, c) => n + c.text.length, 0);
    const fits = size <= budget;
    if (fits) budget -= size;
    out.push(entry(s, i, fits));
  });
  return out.length === 0 ? `<p class="muted">No step printed anything.</p>` : out.join("");
}

function entry(s: StepModel, i: number, withOutput: boolean): string {
  const parts = [
    `<details class="step" id="d-${i}"><summary><span class="badge ${statusClass(s.status)}">${esc(s.status)}</span> `,
    `<b>${esc(s.name)}</b> <span class="muted mono">${esc(s.origin)} · ${fmtMs(s.duration_ms)}</span></summary>`,
  ];
  if (s.error !== null) parts.push(`<p class="error">${esc(s.error)}</p>`);
  if (s.reason !== null) parts.push(`<p class="muted">${esc(s.reason)}</p>`);
  if (s.rescued)
    parts.push(`<p>The failure was rescued by its block's <code>rescue</code> steps.</p>`);
  if (s.attempts > 1) {
    const tries = s.segments.map(
      (g) =>
        `attempt ${g.attempt}: ${esc(g.outcome)}${g.reason === null ? "" : ` (${esc(g.reason)})`}, ${fmtMs((g.end_ms ?? g.start_ms) - g.start_ms)}`,
    );
    parts.push(`<p>${tries.join("<br>")}</p>`);
  }
  if (s.notified.length > 0) parts.push(`<p>Notified handlers: ${esc(s.notified.join(", "))}</p>`);
  if (s.compensated_by.length > 0)
    parts.push(`<p>Undone by compensation: ${esc(s.compensated_by.join(", "))}</p>`);
  if (s.output.length > 0 && !withOutput)
    parts.push(
      `<p class="muted">Output left out: the page keeps ${PAGE_OUTPUT_CAP / 1024 / 1024} MiB of output in all; the run's output files have it.</p>`,
    );
  if (s.output.length > 0 && withOutput) {
    const body = s.output
      .map((c) => (c.stream === "stderr" ? `<span class="err">${esc(c.text)}</span>` : esc(c.text)))
      .join("\n");
    const cut = s.output_truncated ? "\n… (cut; the full output is in the run's output files)" : "";
    parts.push(`<pre>${body}${cut}</pre>`);
  }
  if (s.diff !== null) parts.push(`<pre>${diffLines(s.diff)}</pre>`);
  parts.push("</details>");
  return parts.join("");
}

function diffLines(diff: string): string {
  return diff
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => {
      const cls =
        l.startsWith("+++") || l.startsWith("---")
          ? ""
          : l.startsWith("+")
            ? "add"
            : l.startsWith("-")
              ? "del"
              : l.startsWith("@@")
                ? "hunk"
                : "";
      return cls === "" ? esc(l) : `<span class="${cls}">${esc(l)}</span>`;
    })
    .join("\n");
}
