/**
 * The step table: one row per step, sortable by any column (click a heading) and
 * filtered by text and status (the inline script). Each cell carries its sort key in
 * `data-v`; each row its status and lower-cased text for the filter.
 */
import type { RunModel, StepModel } from "../../journal/run-model.js";
import { hasDetails } from "./details.js";
import { esc, fmtMs, statusClass } from "./escape.js";

const HEADS: [string, "num" | "text"][] = [
  ["#", "num"],
  ["Step", "text"],
  ["Status", "text"],
  ["Host", "text"],
  ["Action", "text"],
  ["Start", "num"],
  ["Duration", "num"],
  ["Attempts", "num"],
  ["Origin", "text"],
];

export function renderTable(model: RunModel): string {
  const statuses = [...new Set(model.steps.map((s) => s.status))].sort();
  const out = [
    `<div class="tools"><input id="filter" type="search" placeholder="Filter steps by name, status, host, action or origin" aria-label="filter steps">`,
    `<select id="status-filter" aria-label="status"><option value="">all statuses</option>`,
    ...statuses.map((s) => `<option value="${esc(s)}">${esc(s)}</option>`),
    `</select><span class="muted" style="align-self:center"><span id="shown">${model.steps.length}</span> of ${model.steps.length}</span></div>`,
    `<div class="scroll"><table id="steps"><thead><tr>`,
    ...HEADS.map(([h, t]) => `<th data-type="${t}">${h}</th>`),
    `</tr></thead><tbody>`,
  ];
  model.steps.forEach((s, i) => {
    out.push(row(s, i));
  });
  out.push("</tbody></table></div>");
  return out.join("");
}

function row(s: StepModel, i: number): string {
  const text = [s.name, s.step_id, s.status, s.host, s.action, s.origin].join(" ").toLowerCase();
  const marks = [
    s.kind === "step" ? "" : `<span class="mark">${s.kind}</span>`,
    s.rescued ? `<span class="mark">rescued</span>` : "",
    s.changed ? `<span class="mark">changed</span>` : "",
    s.restored ? `<span class="mark">restored</span>` : "",
    s.reruns > 0 ? `<span class="mark">rerun×${s.reruns}</span>` : "",
  ].join("");
  const duration =
    s.duration_ms ?? (s.end_ms !== null && s.start_ms !== null ? s.end_ms - s.start_ms : null);
  const cells = [
    `<td data-v="${i + 1}">${i + 1}</td>`,
    `<td class="name" data-v="${esc(s.name.toLowerCase())}">${hasDetails(s) ? `<a href="#d-${i}">${esc(s.name)}</a>` : esc(s.name)}${marks}</td>`,
    `<td data-v="${esc(s.status)}"><span class="badge ${statusClass(s.status)}">${esc(s.status)}</span></td>`,
    `<td data-v="${esc(s.host)}">${esc(s.host)}</td>`,
    `<td data-v="${esc(s.action)}">${esc(s.action)}</td>`,
    `<td data-v="${s.start_ms ?? -1}">${s.start_ms === null ? "-" : `+${fmtMs(s.start_ms)}`}</td>`,
    `<td data-v="${duration ?? -1}">${fmtMs(duration)}</td>`,
    `<td data-v="${s.attempts}">${s.attempts}</td>`,
    `<td class="mono" data-v="${esc(s.origin)}">${esc(s.origin)}</td>`,
  ];
  return `<tr id="r-${i}" class="${s.critical ? "crit" : ""}" data-status="${esc(s.status)}" data-text="${esc(text)}">${cells.join("")}</tr>`;
}
