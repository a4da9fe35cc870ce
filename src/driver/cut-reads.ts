/**
 * The warning for a template that reads a registered output that was cut to the output
 * limit: a later step that greps `build.stdout` for a line in the middle would silently
 * miss it. Decided at run time, from the text of the templates and expressions the step
 * evaluates: a warning is given when one reads an output field (`stdout`, `stderr`, their
 * `_lines`, a loop's `results`) of a registered name whose value is cut, or passes the
 * whole value on (`r | to_json`); `r.rc` alone is not a read of the output. Each cut value
 * is warned about once per run, naming the reading step's origin and the producer.
 */
import type { OriginFrame, PlanStep } from "../model/plan.js";
import { type Expr, isTemplated, parseExpression, parseTemplate } from "../template/index.js";
import { childrenOf, templateExpressions } from "../template/walk.js";

const OUTPUT_KEYS = new Set(["stdout", "stderr", "stdout_lines", "stderr_lines", "results"]);

export type SourceKind = "expression" | "template";

interface CutValue {
  producer: PlanStep;
  value: Record<string, unknown>;
}

export class CutValues {
  /** Registered name → the cut value it holds and the step that produced it. */
  private readonly cut = new Map<string, CutValue>();
  /** Producer step ids already warned about. */
  private readonly warned = new Set<string>();

  /** Called for every registration; `value` is what the name now holds. */
  note(name: string, producer: PlanStep, value: Record<string, unknown>): void {
    if (value.truncated === true) this.cut.set(name, { producer, value });
    else this.cut.delete(name);
  }

  /** Warns (once per cut value) when `source`, evaluated by `reader`, reads a cut output. */
  check(reader: PlanStep, source: string, kind: SourceKind, warn: (message: string) => void): void {
    if (this.cut.size === 0) return;
    const candidates = new Set<string>();
    for (const [name, c] of this.cut)
      if (!this.warned.has(c.producer.id) && source.includes(name)) candidates.add(name);
    if (candidates.size === 0) return;
    for (const name of cutReads(source, kind, candidates)) {
      const c = this.cut.get(name)!;
      if (this.warned.has(c.producer.id)) continue;
      this.warned.add(c.producer.id);
      warn(message(reader, name, c));
    }
  }
}

/** The names among `names` whose output the expression or template reads. */
export function cutReads(source: string, kind: SourceKind, names: ReadonlySet<string>): string[] {
  let exprs: Expr[];
  if (kind === "expression") {
    const parsed = parseExpression(source);
    if (!parsed.ok) return [];
    exprs = [parsed.value];
  } else {
    if (!isTemplated(source)) return [];
    const parsed = parseTemplate(source);
    if (!parsed.ok) return [];
    exprs = templateExpressions(parsed.value.nodes);
  }
  const found = new Set<string>();
  const visit = (e: Expr, parent: Expr | null): void => {
    if (e.type === "name" && names.has(e.name) && readsOutput(e, parent)) found.add(e.name);
    for (const child of childrenOf(e)) visit(child, e);
  };
  for (const e of exprs) visit(e, null);
  return [...found];
}

/** `r.rc`, `r["changed"]`: a field that is not output. Anything else may read the output. */
function readsOutput(name: Expr, parent: Expr | null): boolean {
  if (parent?.type === "member" && parent.object === name) return OUTPUT_KEYS.has(parent.name);
  if (parent?.type === "index" && parent.object === name && parent.index.type === "literal")
    return OUTPUT_KEYS.has(String(parent.index.value));
  return true;
}

function message(reader: PlanStep, name: string, c: CutValue): string {
  const v = c.value;
  const cut = [
    v.stdout_file === undefined ? null : `stdout ${v.stdout_bytes} bytes`,
    v.stderr_file === undefined ? null : `stderr ${v.stderr_bytes} bytes`,
  ].filter((x) => x !== null);
  const files = [v.stdout_file, v.stderr_file].filter((f) => typeof f === "string");
  const all = files.length > 0 ? `; all of it is in ${files.join(" and ")}` : "";
  return (
    `${at(reader.origin)}: warning: '${name}' holds only the head and tail of the output of ` +
    `'${c.producer.name}' (${at(c.producer.origin)}${cut.length > 0 ? `: ${cut.join(", ")}` : ""}); ` +
    `add 'register_full: true' there to register all of it, or raise 'output_limit'${all}`
  );
}

function at(o: OriginFrame): string {
  return `${o.file}:${o.line}:${o.column}`;
}
