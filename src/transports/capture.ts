/**
 * Keeps a bounded part of one output stream for the registered result: the first half of
 * `limit` bytes and the last half, and counts every byte. Memory is at most `limit`
 * bytes plus one chunk, whatever the stream's size. The text of a cut stream is the head
 * and the tail, each trimmed to whole UTF-8 characters, around a line saying how much
 * was left out, so that nobody mistakes it for the whole output.
 */

export class HeadTailCapture {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  /** The newest chunks; older ones are dropped once the rest still covers the tail. */
  private readonly tail: Buffer[] = [];
  private tailBytes = 0;
  /** Every byte seen. */
  total = 0;

  constructor(readonly limit: number) {
    this.headLimit = Math.ceil(limit / 2);
    this.tailLimit = limit - this.headLimit;
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headLimit) {
      const take = Math.min(this.headLimit - this.headBytes, rest.length);
      // A copy: the caller may reuse its buffer, and a slice would pin the whole chunk.
      this.head.push(Buffer.from(rest.subarray(0, take)));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || this.tailLimit === 0) return;
    this.tail.push(rest);
    this.tailBytes += rest.length;
    while (this.tail.length > 1 && this.tailBytes - this.tail[0]!.length >= this.tailLimit) {
      this.tailBytes -= this.tail.shift()!.length;
    }
  }

  /** The bytes held, in order: all of the stream as long as it is not cut. */
  held(): Buffer[] {
    return [...this.head, ...this.tail];
  }

  /** More bytes came than `limit`. */
  get truncated(): boolean {
    return this.total > this.limit;
  }

  /** The whole text when it fit; otherwise head, a "bytes cut" line, and tail. */
  text(): string {
    const head = Buffer.concat(this.head);
    let tail = Buffer.concat(this.tail);
    if (!this.truncated) return Buffer.concat([head, tail]).toString("utf8");
    tail = tail.subarray(tail.length - this.tailLimit);
    const h = head.subarray(0, utf8Prefix(head));
    const t = tail.subarray(utf8Start(tail));
    const cut = this.total - h.length - t.length;
    return `${h.toString("utf8")}\n[… ${cut} bytes cut …]\n${t.toString("utf8")}`;
  }
}

/** Length of the longest prefix of `b` that does not end inside a UTF-8 character. */
export function utf8Prefix(b: Buffer): number {
  // Walk back over at most 3 continuation bytes to the lead byte of the last character.
  let i = b.length - 1;
  let cont = 0;
  while (i >= 0 && cont < 3 && (b[i]! & 0xc0) === 0x80) {
    i--;
    cont++;
  }
  if (i < 0) return b.length;
  const lead = b[i]!;
  const need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
  return need > cont ? i : b.length;
}

/** Offset of the first byte of `b` that is not the continuation of a cut character. */
export function utf8Start(b: Buffer): number {
  let i = 0;
  while (i < b.length && i < 3 && (b[i]! & 0xc0) === 0x80) i++;
  return i;
}
