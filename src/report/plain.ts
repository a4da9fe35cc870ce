/**
 * The line-per-event format, for pipes, files and CI (and the scrollback of the TTY view):
 *
 *   Running site.yml (12 steps, run 20261122T001700123Z-3f9a1c)
 *   [3/12] Install git                       a step starts ("(attempt 2)" on a retry)
 *     │ Reading package lists...             its command output (stderr in red)
 *   ok       Install git (1.2s)              a step settles
 *     » hello                                a print message
 *       +new line                            its diff, with --diff
 *   retrying Fetch (attempt 2 in 1.0s: rc)
 *   FAILED   Fetch (2.1s) at site.yml:12:5: exit code 1
 *   ignored  Probe (40ms): exit code 1       a failure with ignore_errors
 *   skipped  Deploy (when: false)            also blocked and cancelled, with their reason
 *   compensating 2 steps
 *
 * Indented lines belong to the step named on the line above them: when steps run in
 * parallel, the `[n/N] name` header is repeated before a step's lines if another step's
 * lines came in between. The summary (summary.ts) is printed by close().
 */
import type { OriginFrame } from "../model/plan.js";
import type { RunEvent } from "../model/events.js";
import {
  cleanLine,
  formatDuration,
  formatOrigin,
  type Paint,
  painter,
  STATUS_WIDTH,
  statusLabel,
} from "./format.js";
import { neverThrows, type Output, type Reporter } from "./reporter.js";
import { formatSummary, type RunCompletedEvent, type StepFailedEvent } from "./summary.js";

export interface PlainOptions {
  color: boolean;
  /** Print the diff of a step that has one. */
  diff: boolean;
  /** Also print plan.loaded and handler.notified. */
  verbose?: boolean;
}

export function plainReporter(out: Output, opts: PlainOptions): Reporter {
  const lines = new EventLines({ ...opts, startLines: true });
  let closed = false;
  return neverThrows({
    onEvent(e) {
      if (e.type === "step.output" && out.writeBytes !== undefined) {
        const bytes = lines.outputBytes(e);
        if (bytes !== null) {
          out.writeBytes(bytes);
          return;
        }
      }
      const text = lines.format(e);
      if (text.length > 0) out.write(text.join("\n") + "\n");
    },
    close() {
      if (closed) return;
      closed = true;
      const summary = lines.summary();
      if (summary !== null) out.write("\n" + summary);
    },
  });
}

export interface EventLinesOptions extends PlainOptions {
  /** Print a `[n/N] name` line when a step starts (the TTY view shows running steps live). */
  startLines: boolean;
}

interface StepInfo {
  name: string;
  seqNo: number | null;
  action: string;
  attempt: number;
  started: boolean;
  hadMessage: boolean;
}

/** Turns events into the lines above; keeps what it needs across events (counts, names). */
export class EventLines {
  private readonly paint: Paint;
  private readonly steps = new Map<string, StepInfo>();
  private readonly failures = new Map<string, StepFailedEvent>();
  private total = 0;
  private dryRun = false;
  private completed: RunCompletedEvent | null = null;
  /** The step whose group of indented lines is open, if any. */
  private group: string | null = null;

  constructor(private readonly opts: EventLinesOptions) {
    this.paint = painter(opts.color);
  }

  /** The lines to print for `e`, without newlines; often none. */
  format(event: RunEvent): string[] {
    const e = withHost(event);
    const p = this.paint;
    switch (e.type) {
      case "run.started": {
        this.total = e.total_steps;
        this.dryRun = e.dry_run;
        const what = e.dry_run ? "Dry run of" : "Running";
        const steps = `${e.total_steps} step${e.total_steps === 1 ? "" : "s"}`;
        return this.ungrouped([
          `${p("bold", `${what} ${e.playbook}`)} (${steps}, run ${e.run_id})`,
        ]);
      }
      case "plan.loaded":
        if (this.opts.verbose !== true) return [];
        return this.ungrouped([
          p(
            "dim",
            `plan ${e.digest}: ${e.steps} step${e.steps === 1 ? "" : "s"}, ${e.handlers} handler${e.handlers === 1 ? "" : "s"}`,
          ),
        ]);
      case "step.started": {
        const info = this.info(e.step_id);
        info.name = e.name;
        info.seqNo = e.seq_no;
        info.action = e.action;
        info.attempt = e.attempt;
        info.started = true;
        if (!this.opts.startLines) return [];
        this.group = e.step_id;
        return [this.header(e.step_id, e.name)];
      }
      case "step.output":
        return this.grouped(e.step_id, e.name, outputLines(e.line, e.stream, p));
      case "step.message":
        if (e.level === "warning") {
          return this.ungrouped(e.message.split("\n").map((l) => p("yellow", cleanLine(l))));
        }
        this.info(e.step_id).hadMessage = true;
        return this.grouped(e.step_id, e.name, this.messageLines(e.message));
      case "step.retrying": {
        const next = Math.max(e.attempt, this.info(e.step_id).attempt + 1);
        const why = `attempt ${next} in ${formatDuration(e.delay_ms)}: ${e.reason}`;
        return this.ungrouped([
          `${p("yellow", word("retrying"))}${e.name} ${p("dim", `(${why})`)}`,
        ]);
      }
      case "step.completed": {
        this.failures.delete(e.step_id);
        const info = this.info(e.step_id);
        const msg = e.result?.msg;
        const error = e.error ?? msg;
        const why =
          e.status === "ignored" && typeof error === "string"
            ? `: ${cleanLine(error)}`
            : e.status === "unknown" && e.reason !== undefined
              ? this.paint("dim", ` — ${e.reason}`)
              : "";
        const lines = [
          this.settled(e.status, e.name, e.status === "unknown" ? null : e.duration_ms) + why,
        ];
        if (info.action === "print" && !info.hadMessage && typeof msg === "string") {
          lines.push(...this.messageLines(msg));
        }
        if (this.opts.diff && typeof e.diff === "string" && e.diff !== "") {
          lines.push(...this.diffLines(e.diff));
        }
        return this.groupedAfter(e.step_id, lines);
      }
      case "step.compensated":
        return this.ungrouped([this.settled("compensated", e.name, null)]);
      case "step.skipped": {
        const status = e.status ?? "skipped";
        const said = e.reason === "" || e.reason === status;
        const reason = said ? "" : ` ${p("dim", `(${cleanLine(e.reason)})`)}`;
        return this.ungrouped([`${this.settled(status, e.name, null)}${reason}`]);
      }
      case "step.failed": {
        if (e.status === "failed") this.failures.set(e.step_id, e);
        const started = this.steps.get(e.step_id)?.started === true;
        const [first = "", ...rest] = e.error.split("\n").map(cleanLine);
        const head = this.settled(e.status, e.name, started ? e.duration_ms : null);
        const lines = [`${head} ${p("dim", `at ${origin(e.origin)}:`)} ${first}`];
        for (const line of rest) lines.push(" ".repeat(STATUS_WIDTH + 1) + line);
        return this.ungrouped(lines);
      }
      case "handler.notified": {
        if (this.opts.verbose !== true) return [];
        return this.ungrouped([p("dim", `${word("notify")}handler ${e.handler} (by ${e.name})`)]);
      }
      case "compensation.started": {
        const n = e.steps.length;
        return this.ungrouped([p(["bold", "blue"], `compensating ${n} step${n === 1 ? "" : "s"}`)]);
      }
      case "run.completed":
        this.completed = e;
        this.group = null;
        return [];
    }
    return [];
  }

  /**
   * What format() prints for a batch of stdout lines, as UTF-8 bytes, when no line needs
   * cleaning (the usual case); null otherwise. Putting the gutter in front of each line of
   * the bytes costs a fraction of encoding the equivalent string, whose "│" makes it a
   * two-byte string: command output is most of what a run prints.
   */
  outputBytes(e: Extract<RunEvent, { type: "step.output" }>): Buffer | null {
    if (e.stream !== "stdout" || NEEDS_CLEANING.test(e.line)) return null;
    const head = this.grouped(e.step_id, e.name, []);
    const gutter = Buffer.from(this.paint("dim", "  │ "));
    const newGutter = Buffer.concat([NEWLINE, gutter]);
    const text = Buffer.from(e.line);
    const parts: Buffer[] = [];
    if (head.length > 0) parts.push(Buffer.from(`${head.join("\n")}\n`));
    parts.push(gutter);
    let start = 0;
    for (let nl = text.indexOf(10); nl !== -1; nl = text.indexOf(10, start)) {
      parts.push(text.subarray(start, nl), newGutter);
      start = nl + 1;
    }
    parts.push(text.subarray(start), NEWLINE);
    return Buffer.concat(parts);
  }

  /** The summary text, once run.completed has arrived. */
  summary(): string | null {
    if (this.completed === null) return null;
    return formatSummary(this.completed, [...this.failures.values()], {
      color: this.opts.color,
      dryRun: this.dryRun,
    });
  }

  private info(stepId: string): StepInfo {
    let info = this.steps.get(stepId);
    if (info === undefined) {
      info = {
        name: stepId,
        seqNo: null,
        action: "",
        attempt: 0,
        started: false,
        hadMessage: false,
      };
      this.steps.set(stepId, info);
    }
    return info;
  }

  private header(stepId: string, name: string): string {
    const info = this.steps.get(stepId);
    const seq = info?.seqNo;
    const counter = seq === null || seq === undefined ? "[?]" : `[${seq}/${this.total}]`;
    const retry = info !== undefined && info.attempt > 1 ? ` (attempt ${info.attempt})` : "";
    return `${this.paint("dim", counter)} ${this.paint("bold", name)}${retry}`;
  }

  private settled(status: string, name: string, durationMs: number | null): string {
    const time =
      durationMs === null ? "" : ` ${this.paint("dim", `(${formatDuration(durationMs)})`)}`;
    return `${statusLabel(status, this.paint)}${name}${time}`;
  }

  private messageLines(message: string): string[] {
    // A YAML block scalar (`msg: |`) ends in a newline that is not a line of its own.
    const text = message.endsWith("\n") ? message.slice(0, -1) : message;
    return text.split("\n").map((line) => `  ${this.paint("cyan", "»")} ${cleanLine(line)}`);
  }

  private diffLines(diff: string): string[] {
    const p = this.paint;
    const lines = diff.endsWith("\n") ? diff.slice(0, -1).split("\n") : diff.split("\n");
    return lines.map((raw) => {
      const line = cleanLine(raw);
      if (line.startsWith("+++") || line.startsWith("---")) return `    ${p("bold", line)}`;
      if (line.startsWith("+")) return `    ${p("green", line)}`;
      if (line.startsWith("-")) return `    ${p("red", line)}`;
      if (line.startsWith("@@")) return `    ${p("cyan", line)}`;
      return `    ${line}`;
    });
  }

  /** Lines that belong to `stepId`'s group: open it with a header if another was open. */
  private grouped(stepId: string, name: string, lines: string[]): string[] {
    if (this.group === stepId) return lines;
    this.group = stepId;
    return [this.header(stepId, name), ...lines];
  }

  /** A line naming `stepId` itself, followed by lines of its group. */
  private groupedAfter(stepId: string, lines: string[]): string[] {
    this.group = stepId;
    return lines;
  }

  /** Lines that close any open group. */
  private ungrouped(lines: string[]): string[] {
    this.group = null;
    return lines;
  }
}

/**
 * A batch of output lines (`line` holds many, joined with "\n"), each behind the gutter.
 * Output is most of what a run prints: a batch free of escapes and control characters
 * (the usual case) is prefixed in one pass instead of line by line.
 */
function outputLines(text: string, stream: "stdout" | "stderr", p: Paint): string[] {
  const gutter = p("dim", "  │ ");
  const paint = stream === "stderr" ? (t: string) => p("red", t) : (t: string) => t;
  if (stream === "stdout" && !NEEDS_CLEANING.test(text)) {
    return [gutter + text.replaceAll("\n", `\n${gutter}`)];
  }
  return text.split("\n").map((l) => gutter + paint(cleanLine(l)));
}

const NEWLINE = Buffer.from("\n");

/** What cleanLine would change: control characters other than tab and newline, ESC included. */
const NEEDS_CLEANING = /[\x00-\x08\x0b-\x1f\x7f]/;

function word(w: string): string {
  return w.padEnd(STATUS_WIDTH) + " ";
}

function origin(o: OriginFrame | undefined): string {
  return o === undefined ? "?" : formatOrigin(o);
}

/** Fleet runs: a step's name is shown with its host, `web1 | Install nginx`. */
export function withHost<E extends RunEvent>(e: E): E {
  if (!("target" in e) || e.target === undefined || !("name" in e)) return e;
  return { ...e, name: `${e.target} | ${e.name}` };
}
