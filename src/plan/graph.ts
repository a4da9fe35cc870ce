/**
 * Orders the DAG: `seq` is the 1-based position in a topological order that keeps
 * document order wherever the edges allow (Kahn's algorithm, always taking the
 * earliest-written ready step). A cycle among explicit `needs` is reported with the
 * ids that form it.
 */
export interface GraphNode {
  id: string;
  needs: readonly string[];
}

export type OrderResult = { ok: true; order: number[] } | { ok: false; cycle: string[] };

/**
 * Indexes into `nodes` in topological order. `index` gives each id's position in
 * `nodes`, when the caller has it already (ids are unique).
 */
export function topologicalOrder(
  nodes: readonly GraphNode[],
  index: ReadonlyMap<string, number> = positions(nodes),
): OrderResult {
  // Fast path: every edge points backwards in document order, so document order is topological.
  let backwards = true;
  for (let i = 0; i < nodes.length && backwards; i++) {
    const { needs } = nodes[i]!;
    // In a chain a step needs the one before it: no lookup for that (ids are unique).
    const before = i > 0 ? nodes[i - 1]!.id : null;
    for (let k = 0; k < needs.length; k++) {
      if (needs[k] === before) continue;
      const j = index.get(needs[k]!);
      if (j === undefined || j >= i) {
        backwards = false;
        break;
      }
    }
  }
  if (backwards) return { ok: true, order: Array.from(nodes, (_, i) => i) };

  const remaining = new Array<number>(nodes.length).fill(0);
  const dependants: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    for (const need of n.needs) {
      const j = index.get(need);
      if (j === undefined) continue;
      remaining[i]! += 1;
      dependants[j]!.push(i);
    }
  });
  const ready = new MinHeap();
  remaining.forEach((r, i) => {
    if (r === 0) ready.push(i);
  });
  const order: number[] = [];
  while (ready.size > 0) {
    const i = ready.pop();
    order.push(i);
    for (const d of dependants[i]!) {
      remaining[d]! -= 1;
      if (remaining[d] === 0) ready.push(d);
    }
  }
  if (order.length === nodes.length) return { ok: true, order };
  return { ok: false, cycle: findCycle(nodes, index, remaining) };
}

function positions(nodes: readonly GraphNode[]): Map<string, number> {
  const index = new Map<string, number>();
  for (let i = 0; i < nodes.length; i++) index.set(nodes[i]!.id, i);
  return index;
}

/** Walks unfinished nodes along their needs until one repeats: that loop is the cycle. */
function findCycle(
  nodes: readonly GraphNode[],
  index: ReadonlyMap<string, number>,
  remaining: number[],
): string[] {
  const start = remaining.findIndex((r) => r > 0);
  const seen = new Map<number, number>();
  const path: number[] = [];
  let current = start;
  while (!seen.has(current)) {
    seen.set(current, path.length);
    path.push(current);
    const next = nodes[current]!.needs.map((n) => index.get(n)).find(
      (j) => j !== undefined && remaining[j]! > 0,
    );
    if (next === undefined) break;
    current = next;
  }
  const from = seen.get(current) ?? 0;
  const loop = path.slice(from).map((i) => nodes[i]!.id);
  return [...loop, loop[0]!];
}

class MinHeap {
  private readonly items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(v: number): void {
    const a = this.items;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= v) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = v;
  }
  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        let mv = last;
        if (l < a.length && a[l]! < mv) {
          m = l;
          mv = a[l]!;
        }
        if (r < a.length && a[r]! < mv) {
          m = r;
          mv = a[r]!;
        }
        if (m === i) break;
        a[i] = mv;
        i = m;
      }
      a[i] = last;
    }
    return top;
  }
}
