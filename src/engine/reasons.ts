/**
 * The reason texts the engine puts on Settled commands, in one place so that
 * reporters, tests and the docs say the same thing.
 */
export const RUN_STOPPED = "run stopped after a failure";
export const RUN_CANCELLED = "run cancelled";
export const KILLED_BY_CANCEL = "killed by cancel";
export const DEADLINE_EXCEEDED = "deadline exceeded";
export const NOT_NOTIFIED = "not notified";
export const NO_COMPENSATION_NEEDED = "no compensation needed";
export const COMPENSATION_DISABLED = "compensation not enabled";

export const needEnded = (id: string, status: string): string => `need '${id}' ${status}`;
export const blockFailed = (id: string): string => `block '${id}' failed`;
export const nothingToRescue = (id: string): string => `no failure to rescue in block '${id}'`;
export const breakerIsOpen = (key: string): string => `circuit breaker '${key}' open`;
export const compensatedBy = (ids: readonly string[]): string => `compensated by ${ids.join(", ")}`;
