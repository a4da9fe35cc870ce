/** "Did you mean …?" for unknown filter, test, function and method names. */

/** Optimal string alignment distance (an adjacent transposition counts as one edit). */
function editDistance(a: string, b: string): number {
  const cols = b.length + 1;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: cols }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (prev2[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    prev2 = prev;
    prev = row;
  }
  return prev[cols - 1] ?? 0;
}

/** The closest known name within a small edit distance, as a hint; undefined when none is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (!/^[A-Za-z_]/.test(candidate)) continue;
    const limit = Math.min(2, Math.max(1, Math.floor(candidate.length / 3)));
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= limit && distance < lower.length && distance < bestScore) {
      best = candidate;
      bestScore = distance;
    }
  }
  return best === undefined ? undefined : `did you mean '${best}'?`;
}
