/**
 * A run as a trace, before any OpenTelemetry object exists: one span for the run, one
 * per host under it, one per block under its host (nested blocks under their parent),
 * and one per step attempt under its block or host, with the journal's times. A
 * retried attempt carries a `retry` event with the reason. Pure: the run's model and
 * the plan's blocks in, span specs out, parents before children.
 */
import type { RunModel, StepModel } from "../journal/run-model.js";
import type { PlanBlock } from "../model/plan.js";

export type SpanAttributes = Record<string, string | number | boolean>;

export interface SpanSpec {
  key: string;
  parent: string | null;
  name: string;
  /** Wall-clock milliseconds since 1970. */
  start: number;
  end: number;
  attributes: SpanAttributes;
  events: { name: string; time: number; attributes: SpanAttributes }[];
  /** Set when the span failed. */
  error: string | null;
}

export function traceSpans(model: RunModel, blocks: readonly PlanBlock[]): SpanSpec[] {
  const at = (ms: number) => model.epoch_ms + ms;
  const ran = model.steps.filter((s) => s.segments.length > 0);
  const runSpan: SpanSpec = {
    key: "run",
    parent: null,
    name: `cairn run ${model.playbook}`,
    start: at(0),
    end: at(model.span_ms),
    attributes: {
      "cairn.run_id": model.run_id,
      "cairn.playbook": model.playbook,
      "cairn.plan_digest": model.plan_digest,
      "cairn.outcome": model.outcome,
      "cairn.dry_run": model.dry_run,
    },
    events: [],
    error: model.outcome === "failed" ? "the run failed" : null,
  };
  const specs: SpanSpec[] = [runSpan];
  const blockById = new Map(blocks.map((b) => [b.id, b]));
  const depth = (b: PlanBlock): number =>
    b.parent === null ? 0 : 1 + depth(blockById.get(b.parent)!);
  // A parent's span must exist before its children's.
  const parentsFirst = [...blocks].sort((x, y) => depth(x) - depth(y));
  for (const host of model.hosts) {
    const steps = ran.filter((s) => s.host === host);
    if (steps.length === 0) continue;
    const hostKey = `host:${host}`;
    specs.push({
      ...bounds(steps, at),
      key: hostKey,
      parent: "run",
      name: `host ${host}`,
      attributes: { "cairn.host": host },
      events: [],
      error: steps.some(isFailure) ? "a step failed on this host" : null,
    });
    // A block's span covers the steps in it, nested blocks' steps included.
    const inBlock = new Map<string, StepModel[]>();
    for (const s of steps) {
      for (let id = s.block_id; id !== null; id = blockById.get(id)?.parent ?? null)
        inBlock.set(id, [...(inBlock.get(id) ?? []), s]);
    }
    const blockKey = (id: string | null): string => (id === null ? hostKey : `block:${host}:${id}`);
    for (const b of parentsFirst) {
      const members = inBlock.get(b.id);
      if (members === undefined) continue;
      specs.push({
        ...bounds(members, at),
        key: blockKey(b.id),
        parent: blockKey(b.parent),
        name: `block ${b.id}`,
        attributes: { "cairn.block_id": b.id, "cairn.host": host },
        events: [],
        error: null,
      });
    }
    for (const s of steps) specs.push(...attemptSpans(s, blockKey(s.block_id), at));
  }
  return specs;
}

function attemptSpans(s: StepModel, parent: string, at: (ms: number) => number): SpanSpec[] {
  return s.segments.map((seg, i) => {
    const last = i === s.segments.length - 1;
    const end = at(seg.end_ms ?? seg.start_ms);
    const retried = seg.outcome === "retry";
    return {
      key: `step:${s.step_id}:${seg.attempt}:${i}`,
      parent,
      name: s.name,
      start: at(seg.start_ms),
      end,
      attributes: {
        "cairn.step_id": s.step_id,
        "cairn.action": s.action,
        "cairn.origin": s.origin,
        "cairn.host": s.host,
        "cairn.attempt": seg.attempt,
        "cairn.status": last ? s.status : seg.outcome,
        "cairn.changed": last && s.changed,
        ...(s.block_role === null ? {} : { "cairn.block_role": s.block_role }),
        ...(s.kind === "step" ? {} : { "cairn.kind": s.kind }),
        ...(last && s.rescued ? { "cairn.rescued": true } : {}),
      },
      events: retried
        ? [{ name: "retry", time: end, attributes: { "cairn.reason": seg.reason ?? "" } }]
        : [],
      error: retried
        ? `attempt ${seg.attempt} failed (${seg.reason ?? "retried"})`
        : last && isFailure(s)
          ? (s.error ?? s.status)
          : null,
    };
  });
}

function isFailure(s: StepModel): boolean {
  return s.status === "failed" || s.status === "cancelled";
}

function bounds(
  steps: readonly StepModel[],
  at: (ms: number) => number,
): { start: number; end: number } {
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const s of steps) {
    for (const seg of s.segments) {
      start = Math.min(start, seg.start_ms);
      end = Math.max(end, seg.end_ms ?? seg.start_ms);
    }
  }
  return { start: at(start), end: at(end) };
}
