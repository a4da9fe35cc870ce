/**
 * Masking a byte stream that arrives in chunks (a process's output): a secret may be
 * split across two chunks, so the tail of a chunk that could begin a secret's form is
 * held back until the next chunk (or the end) says whether it does — at most the
 * longest form's length minus one byte, and nothing when the tail cannot begin one.
 */
import type { Form, Masker } from "./masker.js";

export class StreamMasker {
  private held: Buffer = Buffer.alloc(0);

  constructor(private readonly masker: Masker) {}

  /** The bytes of `chunk` (after what was held) that are safe to pass on, masked. */
  push(chunk: Buffer): Buffer {
    if (this.masker.size === 0 && this.held.length === 0) return chunk;
    const buf = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk]);
    return this.process(buf, false);
  }

  /** Everything still held, masked: the stream ended. */
  end(): Buffer {
    const buf = this.held;
    this.held = Buffer.alloc(0);
    return buf.length === 0 ? buf : this.process(buf, true);
  }

  private process(buf: Buffer, final: boolean): Buffer {
    const forms = this.masker.forms;
    const parts: Buffer[] = [];
    const next = new Map<Form, number>();
    let pos = 0;
    for (;;) {
      let best = -1;
      let form: Form | null = null;
      for (const f of forms) {
        let i = next.get(f);
        if (i === undefined || (i >= 0 && i < pos)) {
          i = buf.indexOf(f.bytes, pos);
          next.set(f, i);
        }
        // Forms are sorted longest first: on a tie the longer one wins.
        if (i >= 0 && (best < 0 || i < best)) {
          best = i;
          form = f;
        }
      }
      if (form === null) break;
      // A line of a multi-line secret at the end of the chunk may be the whole secret's start.
      if (!final && beginsLonger(buf.subarray(best), form, forms)) {
        parts.push(buf.subarray(pos, best));
        this.held = Buffer.from(buf.subarray(best));
        return Buffer.concat(parts);
      }
      parts.push(buf.subarray(pos, best), form.marker);
      pos = best + form.bytes.length;
    }
    const cut = final ? buf.length : heldFrom(buf, pos, forms, this.masker.maxBytes);
    parts.push(buf.subarray(pos, cut));
    this.held = Buffer.from(buf.subarray(cut));
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
}

/** Whether `tail` (which starts with `form`) could still grow into a longer form. */
function beginsLonger(tail: Buffer, form: Form, forms: readonly Form[]): boolean {
  return forms.some(
    (f) =>
      f.bytes.length > tail.length &&
      f.bytes.length > form.bytes.length &&
      f.bytes.subarray(0, tail.length).equals(tail),
  );
}

/** Where the tail that could begin a form starts (buf.length when none could). */
function heldFrom(buf: Buffer, pos: number, forms: readonly Form[], maxBytes: number): number {
  for (let p = Math.max(pos, buf.length - maxBytes + 1); p < buf.length; p++) {
    const tail = buf.subarray(p);
    for (const f of forms)
      if (f.bytes.length > tail.length && f.bytes.subarray(0, tail.length).equals(tail)) return p;
  }
  return buf.length;
}
