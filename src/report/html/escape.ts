/**
 * Text to HTML, and the small formatting helpers every part of the report shares.
 * Everything from a run (names, output, paths, errors) goes through `esc` before it
 * reaches the page: a step named `<script>` is shown, never run.
 */

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for element content and for quoted attribute values alike. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** `850ms`, `12.3s`, `4m05s`. */
export function fmtMs(ms: number | null): string {
  if (ms === null) return "-";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m}m${String(s).padStart(2, "0")}s`;
}

/** Cuts a label to `max` characters with an ellipsis (the full text goes in a title). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The CSS class of a status: `s-failed`, `s-changed`. */
export function statusClass(status: string): string {
  return `s-${status.replace(/[^a-z-]/g, "")}`;
}
