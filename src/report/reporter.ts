/**
 * What every reporter is: a consumer of run events (SPEC §3.4) that writes to an output.
 * Reporters only consume events; the executor never formats output (DESIGN §3).
 */
import type { RunEvent } from "../model/events.js";

export interface Reporter {
  /** Called synchronously, in order, for every event; must never throw and never drop one. */
  onEvent(e: RunEvent): void;
  /** Flush/stop (e.g. stop the live view, print the summary). */
  close(): void;
}

/** Where a reporter writes: `process.stdout`, a sync fd writer, or a fake in tests. */
export interface Output {
  write(s: string): void;
  /**
   * Bytes already encoded, in order with the strings. Optional: a reporter that has bytes
   * (a large batch of command output) uses it when there, since encoding a large string
   * costs more than building the bytes.
   */
  writeBytes?(b: Uint8Array): void;
  isTTY: boolean;
  columns?: number;
}

/**
 * Makes a reporter unable to throw: a formatting bug or a closed pipe must not stop a run
 * whose record is the journal, not the screen.
 */
export function neverThrows(inner: Reporter): Reporter {
  return {
    onEvent(e) {
      try {
        inner.onEvent(e);
      } catch {
        // Deliberately ignored: see above.
      }
    },
    close() {
      try {
        inner.close();
      } catch {
        // Deliberately ignored: see above.
      }
    },
  };
}
