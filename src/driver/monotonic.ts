/**
 * Milliseconds on a monotonic clock, for step durations. Not `performance.now()`: that
 * loads node:perf_hooks (and its timing internals) at every start of the CLI, for a clock
 * process.hrtime already has.
 */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;
