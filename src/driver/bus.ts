/**
 * The event bus (SPEC §3.4): wraps every payload in the versioned envelope, numbers it,
 * and hands it synchronously, in order, to every subscriber. Nothing is dropped: a
 * subscriber that throws is reported once on stderr and the others still get the events.
 */
import type { RunEvent, RunEventPayload } from "../model/events.js";

export type Subscriber = (e: RunEvent) => void;

export class EventBus {
  private seq = 0;
  private readonly subscribers: Subscriber[] = [];
  private readonly failed = new Set<Subscriber>();

  constructor(
    readonly runId: string,
    private readonly now: () => Date = () => new Date(),
    /** Applied to every payload before anyone sees it: secret redaction (secrets/boundary.ts). */
    private readonly redact: ((p: RunEventPayload) => RunEventPayload) | null = null,
  ) {}

  subscribe(s: Subscriber): void {
    this.subscribers.push(s);
  }

  emit(original: RunEventPayload): RunEvent {
    const payload = this.redact === null ? original : this.redact(original);
    this.seq += 1;
    const event = {
      v: 1,
      seq: this.seq,
      run_id: this.runId,
      ts: this.now().toISOString(),
      ...payload,
    } as RunEvent;
    for (const s of this.subscribers) {
      try {
        s(event);
      } catch (e) {
        // Reported once per subscriber: a broken subscriber would otherwise flood stderr.
        if (this.failed.has(s)) continue;
        this.failed.add(s);
        process.stderr.write(
          `cairn: an event subscriber failed: ${e instanceof Error ? e.message : String(e)}\n`,
        );
      }
    }
    return event;
  }
}

/**
 * A run id that sorts by start time, to the millisecond (two runs in one second must
 * still list in order for `--last`): `20261122T001700123Z-3f9a1c`.
 */
export function newRunId(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.(\d+)Z$/, "$1Z");
  const rand = Math.floor(Math.random() * 0xffffff)
    .toString(16)
    .padStart(6, "0");
  return `${stamp}-${rand}`;
}
