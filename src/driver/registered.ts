/**
 * The value `register` stores, and `result` in `changed_when`/`failed_when`: the step's
 * result plus `stdout_lines`/`stderr_lines` derived from its text. Events carry the
 * result without them, so that the output is not sent twice; the text they come from is
 * bounded by the output limit (or is the whole output the step asked for with
 * `register_full`).
 */

export function registeredValue(result: Record<string, unknown>): Record<string, unknown> {
  const { stdout, stderr } = result;
  if (typeof stdout !== "string" && typeof stderr !== "string") return result;
  const out = { ...result };
  if (typeof stdout === "string") out.stdout_lines = toLines(stdout);
  if (typeof stderr === "string") out.stderr_lines = toLines(stderr);
  return out;
}

function toLines(s: string): string[] {
  return s === "" ? [] : s.split(/\r?\n/);
}
