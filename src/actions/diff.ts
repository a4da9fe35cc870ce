/**
 * A unified diff of two texts (for check/--diff): Myers' O(ND) line diff, then hunks
 * with 3 lines of context under `--- a`/`+++ b` headers, as `diff -u` prints them.
 * Bounded, so that showing a change never costs more than making it: content that is
 * binary or above DIFF_MAX_BYTES, or that differs in more than DIFF_MAX_EDITS lines,
 * gets a one-line summary with the sizes instead.
 */

type Op = { kind: " " | "-" | "+"; line: string };

const CONTEXT = 3;
/** Larger content is not read for a diff at all (README, Decisions). */
export const DIFF_MAX_BYTES = 1 << 20;
/** Myers keeps O(D²) memory for D edits; past this many, a summary is more useful anyway. */
export const DIFF_MAX_EDITS = 2000;

/** Returns "" when the texts are equal. */
export function unifiedDiff(
  oldText: string,
  newText: string,
  oldName: string,
  newName: string,
): string {
  if (oldText === newText) return "";
  const ops = boundedDiff(toLines(oldText), toLines(newText), DIFF_MAX_EDITS);
  if (ops === null) {
    return `Files ${oldName} and ${newName} differ (more than ${DIFF_MAX_EDITS} lines changed)\n`;
  }
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  for (const hunk of hunks(ops)) out.push(...hunk);
  return `${out.join("\n")}\n`;
}

/** The diff of a file's old bytes (null: it does not exist yet) and its new ones. */
export function contentDiff(old: Uint8Array | null, neu: Uint8Array, path: string): string {
  const oldSize = old?.byteLength ?? 0;
  const summary = tooBigOrBinary(old, neu, path, oldSize, neu.byteLength);
  if (summary !== null) return summary;
  return unifiedDiff(old === null ? "" : utf8(old), utf8(neu), path, path);
}

/**
 * The one-line summary for content not diffed line by line, or null when a text diff
 * is fine. `old`/`neu` may be just the first bytes (binary sniffing), the sizes are whole.
 */
export function tooBigOrBinary(
  old: Uint8Array | null,
  neu: Uint8Array,
  path: string,
  oldSize: number,
  newSize: number,
): string | null {
  const sizes = `(${oldSize} → ${newSize} bytes)`;
  // As git and GNU diff tell binary files: a NUL byte near the start.
  if (isBinary(neu) || (old !== null && isBinary(old))) {
    return `Binary files ${path} and ${path} differ ${sizes}\n`;
  }
  if (oldSize > DIFF_MAX_BYTES || newSize > DIFF_MAX_BYTES) {
    return `Files ${path} and ${path} differ ${sizes}; not shown above ${DIFF_MAX_BYTES} bytes\n`;
  }
  return null;
}

function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

/** Lines keep their "\n" so that a missing final newline is a difference too. */
function toLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Myers' greedy forward search, remembering each round's frontier to walk back. */
export function diffLines(a: string[], b: string[]): Op[] {
  return boundedDiff(a, b, Number.POSITIVE_INFINITY) as Op[];
}

/** The edit script, or null when it needs more than `maxEdits` insertions and deletions. */
function boundedDiff(a: string[], b: string[], maxEdits: number): Op[] | null {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  // Round d reads diagonals -d-1 .. d+1 of the frontier before it: keep just those.
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    if (d > maxEdits) return null;
    trace.push(v.slice(off - d - 1, off + d + 2));
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
    const at = (k: number) => vd[k + d + 1] as number;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
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
