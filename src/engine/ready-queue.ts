/**
 * The ready queue: a binary min-heap of step indices ordered by a key array the
 * engine owns (retries first, then plan `seq`). O(log n) per push and pop keeps a
 * 100,000-step plan cheap; entries made stale by a later transition are skipped by
 * the caller on pop rather than searched for and removed.
 */
export class ReadyQueue {
  private readonly heap: number[] = [];
  private readonly keys: Float64Array;

  constructor(keys: Float64Array) {
    this.keys = keys;
  }

  get size(): number {
    return this.heap.length;
  }

  push(item: number): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!this.before(item, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = item;
  }

  pop(): number | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    const n = heap.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.before(heap[right]!, heap[left]!) ? right : left;
      const c = heap[child]!;
      if (!this.before(c, last)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = last;
    return top;
  }

  /** Removes and returns every item, lowest key first. */
  drain(): number[] {
    const all: number[] = [];
    for (let item = this.pop(); item !== undefined; item = this.pop()) all.push(item);
    return all;
  }

  /** Key order, ties broken by index so that the order never depends on push order. */
  private before(a: number, b: number): boolean {
    const ka = this.keys[a]!;
    const kb = this.keys[b]!;
    return ka < kb || (ka === kb && a < b);
  }
}
