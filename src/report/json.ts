/**
 * `--json`: every event as one line of NDJSON, in order, and nothing else on the output.
 * One `write` per event keeps the order and loses nothing; batching is the output's business.
 */
import type { RunEvent } from "../model/events.js";
import { neverThrows, type Output, type Reporter } from "./reporter.js";

export function jsonReporter(out: Output): Reporter {
  return neverThrows({
    onEvent(e) {
      out.write(toJsonLine(e));
    },
    close() {},
  });
}

function toJsonLine(e: RunEvent): string {
  try {
    return JSON.stringify(e) + "\n";
  } catch {
    // A result holding a bigint or a cycle must still produce its line.
    return JSON.stringify(e, tolerant()) + "\n";
  }
}

function tolerant(): (key: string, value: unknown) => unknown {
  const ancestors: object[] = [];
  return function (this: unknown, _key, value) {
    if (typeof value === "bigint") return value.toString();
    if (typeof value !== "object" || value === null) return value;
    while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
    if (ancestors.includes(value)) return "[Circular]";
    ancestors.push(value);
    return value;
  };
}
