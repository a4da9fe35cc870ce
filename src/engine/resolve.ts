/**
 * The verdict on a step whose needs have all settled: `blocked` (a need failed or
 * was blocked), `cancelled` (a need was cancelled, the run stopped or was
 * cancelled), `skipped` (plan-time, or a rescue with nothing to rescue), or ready.
 * Steps are judged from a worklist, never recursively, so a 100,000-step chain
 * blocked by its first step cannot overflow the stack.
 */
import { blockAt, classifyEdge, closedRescue, inBlock, isExempt } from "./blocks.js";
import { blockFailed, needEnded, nothingToRescue, RUN_CANCELLED, RUN_STOPPED } from "./reasons.js";
import { type FleetState, fleetVerdict, holdForBatch } from "./fleet.js";
import { enqueue, settle } from "./settle.js";
import { type Ctx, type EngineState, idOf, isSuccessLike, stepAt } from "./state.js";

interface Verdict {
  readonly status: "blocked" | "cancelled";
  readonly cause: number;
  readonly reason: string;
}

/** What the end of need `u` means for `v` along an ordinary edge. */
function inherited(s: EngineState, u: number): Verdict {
  const status = s.status[u];
  if (status === "cancelled") {
    return { status: "cancelled", cause: s.cause[u]!, reason: s.reasons[u] ?? RUN_CANCELLED };
  }
  return { status: "blocked", cause: s.cause[u]!, reason: needEnded(idOf(s, u), String(status)) };
}

/** The edge "v needs u" after u settled: null when satisfied (block rules in blocks.ts). */
function edgeVerdict(s: EngineState, u: number, v: number): Verdict | null {
  const status = s.status[u] ?? null;
  const edge = classifyEdge(s, u, v);
  if (edge.kind === "exit") {
    const block = blockAt(s, edge.block);
    if (block.failed) {
      return { status: "blocked", cause: block.failCause, reason: blockFailed(block.id) };
    }
    if (isSuccessLike(status)) return null;
    // A failure inside a block that did not fail was rescued.
    if (status !== "cancelled" && inBlock(s, s.cause[u]!, edge.block)) return null;
    return inherited(s, u);
  }
  if (isSuccessLike(status)) return null;
  if (edge.kind === "rescue" || edge.kind === "always") {
    const absorbed =
      status === "cancelled" ? blockAt(s, edge.block).entered : inBlock(s, s.cause[u]!, edge.block);
    if (absorbed) return null;
  }
  return inherited(s, u);
}

/** Judges `v`, whose needs have all settled. A blocking need wins over a cancelled one. */
function resolve(ctx: Ctx, v: number): void {
  const s = ctx.s;
  let verdict: Verdict | null = null;
  for (const u of s.needs[v]!) {
    const edge = edgeVerdict(s, u, v);
    if (edge === null) continue;
    verdict ??= edge;
    if (edge.status === "blocked") {
      verdict = edge;
      break;
    }
  }
  if (verdict === null) admit(ctx, v);
  else settle(ctx, v, verdict.status, verdict.reason, verdict.cause);
}

/** A step free to run: settle it if the run, its block or the plan says so, else queue it. */
export function admit(ctx: Ctx, v: number): void {
  const s = ctx.s;
  const closed = s.cancelRequested ? -1 : closedRescue(s, v);
  const skipped = stepAt(s, v).skipped;
  if (s.cancelRequested) settle(ctx, v, "cancelled", RUN_CANCELLED);
  else if (closed !== -1) settle(ctx, v, "skipped", nothingToRescue(blockAt(s, closed).id));
  else if (skipped !== null) settle(ctx, v, "skipped", skipped.reason);
  else if (s.fleet !== null) admitOnHost(ctx, s.fleet, v);
  else if (s.stopping && !isExempt(s, v)) settle(ctx, v, "cancelled", RUN_STOPPED);
  else enqueue(s, v);
}

/** Fleet plans: the step's host may be down, or its batch not begun yet (fleet.ts). */
function admitOnHost(ctx: Ctx, f: FleetState, v: number): void {
  const s = ctx.s;
  const verdict = fleetVerdict(f, v, s.options.keepGoing);
  // Handlers, rescue and always steps still run on a host that failed, as after a stop.
  if (verdict !== null && (verdict.status === "blocked" || !isExempt(s, v)))
    settle(ctx, v, verdict.status, verdict.reason);
  else if (!holdForBatch(f, v, s.role[v]!)) enqueue(s, v);
}

/** Judges every step on the worklist, including those its verdicts add. */
export function drainResolve(ctx: Ctx): void {
  const queue = ctx.s.resolveQueue;
  for (let k = 0; k < queue.length; k++) resolve(ctx, queue[k]!);
  queue.length = 0;
}
