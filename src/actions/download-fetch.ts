/**
 * One HTTP GET for `download`, bounded by the action's `timeout` and by the step's
 * cancel signal, with the body read in full. Failures are values that say which of
 * the two stopped it: a timeout is retryable as `timeout`, a cancel is a kill.
 */
import { type Result, err, ok } from "../model/result.js";
import type { ActionFailure } from "./types.js";

export interface Fetched {
  status: number;
  statusText: string;
  /** Empty unless the status is 2xx. */
  body: Buffer;
}

export async function fetchBody(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  cancel: AbortSignal,
): Promise<Result<Fetched, ActionFailure>> {
  const timeout = AbortSignal.timeout(Math.max(1, Math.ceil(timeoutMs)));
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.any([cancel, timeout]) });
    const { status, statusText } = res;
    if (!res.ok) {
      // Not read, so release the connection.
      await res.body?.cancel();
      return ok({ status, statusText, body: Buffer.alloc(0) });
    }
    return ok({ status, statusText, body: Buffer.from(await res.arrayBuffer()) });
  } catch (e) {
    if (cancel.aborted) return err({ reason: "killed", message: `cancelled downloading ${url}` });
    if (timeout.aborted) {
      return err({
        reason: "timeout",
        message: `timed out after ${timeoutMs} ms downloading ${url}`,
      });
    }
    return err({ reason: "error", message: `${url}: ${describe(e)}` });
  }
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, a DNS failure ...) is its cause. */
function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message;
}
