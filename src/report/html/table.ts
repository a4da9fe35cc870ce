/**
 * The step table, sortable (click a heading) and filtered by text and status. The
 * rows travel as JSON data in the page and the inline script draws only those in
 * view, so a 10,000-step run opens and scrolls as fast as an 8-step one. The data is
 * put in the DOM with `textContent` only; in the JSON, `<`, `>` and `&` are escaped,
 * so no step name can end the data block.
 */
import type { RunModel, StepModel } from "../../journal/run-model.js";
import { hasDetails } from "./details.js";
import { esc, fmtMs } from "./escape.js";

/** Column heading, width, and whether it sorts as a number. */
const HEADS: [string, string, boolean][] = [
  ["#", "4%", true],
  ["Step", "24%", false],
  ["Status", "10%", false],
  ["Host", "9%", false],
  ["Action", "8%", false],
  ["Start", "8%", true],
  ["Duration", "9%", true],
  ["Attempts", "8%", true],
  ["Origin", "20%", false],
];

/**
 * One row: [#, name, status, host, action, start ms (-1 none), start text, duration ms
 * (-1 none), duration text, attempts, origin, marks, has details (0/1), critical (0/1)].
 */
export type TableRow = [
  number,
  string,
  string,
  string,
  string,
  number,
  string,
  number,
  string,
  number,
  string,
  string,
  number,
  number,
];

export function renderTable(model: RunModel): string {
  const statuses = [...new Set(model.steps.map((s) => s.status))].sort();
  const n = model.steps.length;
  return [
    `<div class="tools"><input id="filter" type="search" placeholder="Filter steps by name, status, host, action or origin" aria-label="filter steps">`,
    `<select id="status-filter" aria-label="status"><option value="">all statuses</option>`,
    ...statuses.map((s) => `<option value="${esc(s)}">${esc(s)}</option>`),
    `</select><span class="muted count"><span id="shown">${n}</span> of ${n}</span></div>`,
    `<div class="scroll table" id="steps-view" style="--rows:${n}"><table id="steps"><colgroup>`,
    ...HEADS.map(([, w]) => `<col style="width:${w}">`),
    `</colgroup><thead><tr>`,
    ...HEADS.map(([h, , num]) => `<th data-type="${num ? "num" : "text"}">${h}</th>`),
    `</tr></thead><tbody></tbody></table></div>`,
    `<script type="application/json" id="rows">${jsonForScript(model.steps.map(row))}</script>`,
  ].join("");
}

function row(s: StepModel, i: number): TableRow {
  const marks = [
    s.kind === "step" ? "" : s.kind,
    s.rescued ? "rescued" : "",
    s.changed ? "changed" : "",
    s.restored ? "restored" : "",
    s.reruns > 0 ? `rerun×${s.reruns}` : "",
  ]
    .filter((m) => m !== "")
    .join(" ");
  const duration =
    s.duration_ms ?? (s.end_ms !== null && s.start_ms !== null ? s.end_ms - s.start_ms : null);
  return [
    i + 1,
    s.name,
    s.status,
    s.host,
    s.action,
    s.start_ms ?? -1,
    s.start_ms === null ? "-" : `+${fmtMs(s.start_ms)}`,
    duration ?? -1,
    fmtMs(duration),
    s.attempts,
    s.origin,
    marks,
    hasDetails(s) ? 1 : 0,
    s.critical ? 1 : 0,
  ];
}

/** JSON that is safe inside a `<script>` element: no `<`, `>`, `&` or line separators. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
