/**
 * Output masking, the second wall (SPEC §1.7): every secret revealed in this run, in
 * each of its forms (forms.ts), is replaced by `«secret:name»` wherever it appears in
 * text that leaves the run — events, the journal, output files, errors, results.
 * Taint marks what cairn computes from a secret; this catches what flows around it
 * (a command that echoes its environment, an error that quotes its input).
 */
import { mapLeaves } from "./deep-map.js";
import { MIN_SECRET_LENGTH, secretForms } from "./forms.js";

export interface Form {
  text: string;
  bytes: Buffer;
  marker: Buffer;
  name: string;
}

export class Masker {
  private readonly byText = new Map<string, Form>();
  /** Longest first, so that a value is masked whole before any of its lines. */
  private sorted: Form[] = [];
  /** Bytes of the longest form (what a stream must hold back, minus one). */
  maxBytes = 0;

  get size(): number {
    return this.sorted.length;
  }

  get forms(): readonly Form[] {
    return this.sorted;
  }

  /**
   * Masks `value` and its forms from now on; false when it is too short to mask
   * (shorter forms of a longer value are skipped silently).
   */
  add(name: string, value: string): boolean {
    if (value.length < MIN_SECRET_LENGTH) return false;
    let added = false;
    for (const text of secretForms(value)) {
      if (this.byText.has(text)) continue;
      const marker = Buffer.from(`«secret:${name}»`);
      const form = { text, bytes: Buffer.from(text), marker, name };
      this.byText.set(text, form);
      added = true;
    }
    if (added) {
      this.sorted = [...this.byText.values()].sort((a, b) => b.bytes.length - a.bytes.length);
      this.maxBytes = this.sorted[0]?.bytes.length ?? 0;
    }
    return true;
  }

  /** `s` with every form replaced. */
  mask(s: string): string {
    let out = s;
    for (const f of this.sorted)
      if (out.includes(f.text)) out = out.split(f.text).join(`«secret:${f.name}»`);
    return out;
  }

  /** A copy of `v` with every string (keys too) masked; `v` itself when nothing changed. */
  maskDeep<T>(v: T): T {
    if (this.sorted.length === 0) return v;
    const mask = (x: unknown) => (typeof x === "string" ? this.mask(x) : x);
    return mapLeaves(v, mask, (k) => this.mask(k)) as T;
  }
}
