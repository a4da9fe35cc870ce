/**
 * One HTTP GET for `download`, its body streamed into a temp file beside the
 * destination and hashed on the way (so memory stays flat whatever the size). The
 * action's `timeout` and the step's cancel signal bound the whole transfer, and the
 * size limit bounds the bytes; whichever stops it, the temp file is removed.
 * Failures are values that say what stopped it: a timeout is retryable as `timeout`,
 * a cancel is a kill.
 */
import { type Result, err, ok } from "../model/result.js";
import { stageFile } from "./atomic-file.js";
import { Digests } from "./file-hash.js";
import type { ActionFailure } from "./types.js";

export interface FetchRequest {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  cancel: AbortSignal;
  /** The body is staged beside this path. */
  dest: string;
  /** Digests to compute besides sha256 (the `checksum:` algorithm). */
  algos: readonly string[];
  maxBytes: number;
}

export interface Fetched {
  status: number;
  statusText: string;
  /** For a 2xx answer: the temp file holding the body, its size and digests. */
  body: { tmp: string; size: number; hex: Record<string, string> } | null;
}

export async function fetchToFile(req: FetchRequest): Promise<Result<Fetched, ActionFailure>> {
  const { url, timeoutMs, cancel } = req;
  const timeout = AbortSignal.timeout(Math.max(1, Math.ceil(timeoutMs)));
  try {
    const res = await fetch(url, {
      headers: req.headers,
      signal: AbortSignal.any([cancel, timeout]),
    });
    const { status, statusText } = res;
    if (!res.ok) {
      // Not read, so release the connection.
      await res.body?.cancel();
      return ok({ status, statusText, body: null });
    }
    const declared = Number(res.headers.get("content-length") ?? Number.NaN);
    if (declared > req.maxBytes) {
      await res.body?.cancel();
      return err(tooLarge(url, req.maxBytes, `is ${declared} bytes, more than`));
    }
    const d = new Digests(req.algos);
    const tmp = await stageFile(req.dest, res.body ?? [], (chunk) => {
      d.update(chunk);
      if (d.size > req.maxBytes) throw new TooLarge();
    });
    return ok({ status, statusText, body: { tmp, size: d.size, hex: d.hex() } });
  } catch (e) {
    if (e instanceof TooLarge) return err(tooLarge(url, req.maxBytes, "sent more than"));
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

class TooLarge extends Error {}

function tooLarge(url: string, max: number, what: string): ActionFailure {
  return {
    reason: "error",
    message: `${url} ${what} max_size (${max} bytes); raise max_size to accept it`,
  };
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, a DNS failure ...) is its cause. */
function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message;
}
