/**
 * Small text helpers shared by the human reporters: durations (`350ms`, `1.2s`, `2m03s`),
 * status words and their colors, origins, and making a command's output line safe to print.
 */
import { styleText } from "node:util";
import type { StepStatus } from "../model/engine.js";
import type { OriginFrame } from "../model/plan.js";

export type Style = Parameters<typeof styleText>[0];

/** Applies a style, or returns the text unchanged when color is off. */
export type Paint = (style: Style, text: string) => string;

export function painter(color: boolean): Paint {
  if (!color) return (_style, text) => text;
  // The caller has already decided (TTY, NO_COLOR, FORCE_COLOR): don't let Node re-check stdout.
  return (style, text) => styleText(style, text, { validateStream: false });
}

/** `350ms` under a second, `1.2s` under a minute, `2m03s` under an hour, then `1h02m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "0ms";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${pad2(seconds % 60)}s`;
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)}h${pad2(minutes % 60)}m`;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** The engine's statuses, and `unknown` (a dry run's "known after run"). */
type ShownStatus = StepStatus | "unknown";

const STATUS_WORDS: Record<ShownStatus, string> = {
  unknown: "unknown",
  ok: "ok",
  changed: "changed",
  skipped: "skipped",
  failed: "FAILED",
  ignored: "ignored",
  blocked: "blocked",
  cancelled: "cancelled",
  compensated: "compensated",
};

const STATUS_STYLES: Record<ShownStatus, Style> = {
  unknown: "magenta",
  ok: "green",
  changed: "yellow",
  skipped: "cyan",
  failed: ["bold", "red"],
  ignored: "red",
  blocked: "magenta",
  cancelled: "gray",
  compensated: "blue",
};

/** Width of the status column: `changed  Install git`. */
export const STATUS_WIDTH = 8;

/** The status word padded to the status column and colored; unknown statuses print as given. */
export function statusLabel(status: string, paint: Paint): string {
  const known = isStepStatus(status);
  const word = known ? STATUS_WORDS[status] : status;
  const padded = word.padEnd(STATUS_WIDTH) + " ";
  return known ? paint(STATUS_STYLES[status], padded) : padded;
}

function isStepStatus(s: string): s is ShownStatus {
  return Object.hasOwn(STATUS_WORDS, s);
}

/** `tasks/setup.yml:12:5` */
export function formatOrigin(o: OriginFrame): string {
  return `${o.file}:${o.line}:${o.column}`;
}

// CSI sequences (colors, cursor moves), OSC sequences (titles, links) and other escapes.
const ESCAPES = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/g;

/**
 * Makes a line from a command or a message safe to print: what a terminal would show after
 * carriage returns (progress bars), without escape sequences or control characters that
 * would move the cursor under the live view or leave colors on.
 */
export function cleanLine(line: string): string {
  const trimmed = line.endsWith("\r") ? line.slice(0, -1) : line;
  const visible = trimmed.slice(trimmed.lastIndexOf("\r") + 1);
  return visible.replace(ESCAPES, "").replace(CONTROLS, "");
}

/** Cuts `text` to at most `width` characters, ending with `…` when cut. */
export function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return "…".slice(0, Math.max(0, width));
  return text.slice(0, width - 1) + "…";
}
