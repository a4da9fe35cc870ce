/**
 * The pure execution engine (SPEC §3.1–3.2): `init(plan, options)` and
 * `step(state, event) → {state, commands}`. No I/O, no clock, no randomness: time
 * is `event.at`, jitter comes from a PRNG seeded by `options.seed` and kept in the
 * state. The state is owned by one run and updated in place (see `step`).
 *
 * Decisions, in one place:
 * - **Readiness.** A step is judged once all its needs settled: blocked if a need
 *   ended failed/blocked (reason `need '<id>' <status>`), cancelled if a need was
 *   cancelled (its reason is inherited), otherwise plan-time `skipped` steps settle
 *   skipped and the rest are queued. Ready steps start lowest key first: retries,
 *   then plan `seq`, while fewer than `jobs` run and the step's group is under `max`.
 * - **Retries.** See retry.ts. Delay = min(delay_ms·backoff^(n−1), max_delay_ms),
 *   times a seeded factor in [0.5, 1) with `jitter` ("equal jitter"). A retry goes
 *   back to the ready queue ahead of first attempts. Retries of steps already in
 *   flight continue after a failure stopped the run; a cancel stops them.
 * - **Failure.** A non-ignored failure that escapes every block fails the run.
 *   Without `keepGoing` nothing new starts from the main flow (never-started steps end
 *   `cancelled`, "run stopped after a failure"); running steps finish; `rescue` and
 *   `always` sections, handlers and compensation still run.
 * - **Blocks.** See blocks.ts. The rest of a failed main section ends `blocked`;
 *   rescue steps run only after a main failure (else `skipped`, "no failure to
 *   rescue in block '<id>'"); always steps run once the block was entered, whatever
 *   happened inside it. A failure is rescued when every rescue step of its block
 *   succeeds: the failed step stays `failed` (and counts in `stats.failed`), the run
 *   does not fail because of it, `stats.rescued` counts it, and the steps after the
 *   block run. Nested blocks: a failure the inner block does not rescue moves to the
 *   enclosing block's section.
 * - **Handlers.** See handlers.ts. Run after the main flow, in plan order, one at a
 *   time, also after a failure, not after a cancel; un-notified ones settle skipped.
 * - **Compensation.** See compensation.ts. After the handlers, when the run failed;
 *   an undone step is settled a second time as `compensated`.
 * - **Breakers.** See breaker.ts. An attempt of a step whose breaker is open does not
 *   start: the step fails at once (no retry), "circuit breaker '<key>' open".
 * - **Timers.** Per-attempt timeout → Kill 'timeout'; deadline → Kill 'deadline' if
 *   running (no more retries), or `failed` at once if waiting to retry.
 * - **Cancel.** Queued, waiting and later-ready steps end `cancelled`; running steps
 *   finish (or are killed with `force` and end `cancelled`); no handlers, no
 *   compensation. The outcome is `cancelled`, even if a step failed too.
 * - **End.** Every step of `plan.steps` and `plan.handlers` settles exactly once
 *   (plus the `compensated` re-settlement); `Finish{outcome, stats}` comes once,
 *   last: `cancelled` after a cancel, else `failed` if a failure escaped, else
 *   `success`.
 */
export { init, isFinished, statusOf, step, type EngineState, type Transition } from "./engine.js";

/**
 * Bumped whenever the engine may issue different commands for the same events, so
 * that `cairn replay` can tell a divergence caused by an upgrade from a bad journal.
 */
export const ENGINE_VERSION = 1;
