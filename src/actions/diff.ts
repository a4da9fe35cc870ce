/**
 * A unified diff of two texts (for check/--diff): Myers' O(ND) line diff, then hunks
 * with 3 lines of context under `--- a`/`+++ b` headers, as `diff -u` prints them.
 */

type Op = { kind: " " | "-" | "+"; line: string };

const CONTEXT = 3;

/** Returns "" when the texts are equal. */
export function unifiedDiff(
  oldText: string,
  newText: string,
  oldName: string,
  newName: string,
): string {
  if (oldText === newText) return "";
  const ops = diffLines(toLines(oldText), toLines(newText));
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  for (const hunk of hunks(ops)) out.push(...hunk);
  return `${out.join("\n")}\n`;
}

/** Lines keep their "\n" so that a missing final newline is a difference too. */
function toLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Myers' greedy forward search, remembering each round's frontier to walk back. */
export function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[off + k - 1] as number) < (v[off + k + 1] as number));
      let x = down ? (v[off + k + 1] as number) : (v[off + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (vd[off + k - 1] as number) < (vd[off + k + 1] as number));
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : (vd[off + prevK] as number);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: " ", line: a[--x] as string });
      y--;
    }
    if (d > 0) {
      if (down) ops.push({ kind: "+", line: b[--y] as string });
      else ops.push({ kind: "-", line: a[--x] as string });
    }
  }
  return ops.reverse();
}

function hunks(ops: Op[]): string[][] {
  const result: string[][] = [];
  let i = 0;
  // Line numbers (0-based) in the old and new text at ops[i].
  let oldNo = 0;
  let newNo = 0;
  while (i < ops.length) {
    const firstChange = ops.findIndex((o, j) => j >= i && o.kind !== " ");
    if (firstChange === -1) break;
    const start = Math.max(i, firstChange - CONTEXT);
    for (let j = i; j < start; j++) {
      oldNo++;
      newNo++;
    }
    // Extend while the next change is within 2*CONTEXT unchanged lines.
    let end = firstChange;
    let lastChange = firstChange;
    while (end < ops.length && end - lastChange <= 2 * CONTEXT) {
      if ((ops[end] as Op).kind !== " ") lastChange = end;
      end++;
    }
    end = Math.min(ops.length, lastChange + CONTEXT + 1);
    const body: string[] = [];
    let oldCount = 0;
    let newCount = 0;
    for (let j = start; j < end; j++) {
      const op = ops[j] as Op;
      if (op.kind !== "+") oldCount++;
      if (op.kind !== "-") newCount++;
      body.push(...render(op));
    }
    const header = `@@ -${range(oldNo, oldCount)} +${range(newNo, newCount)} @@`;
    result.push([header, ...body]);
    oldNo += oldCount;
    newNo += newCount;
    i = end;
  }
  return result;
}

function render(op: Op): string[] {
  if (op.line.endsWith("\n")) return [op.kind + op.line.slice(0, -1)];
  return [op.kind + op.line, "\\ No newline at end of file"];
}

/** `diff -u` style: "start,count", the count omitted when 1, start 0-based when empty. */
function range(start: number, count: number): string {
  if (count === 0) return `${start},0`;
  return count === 1 ? `${start + 1}` : `${start + 1},${count}`;
}
