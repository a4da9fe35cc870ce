/**
 * Step ids (SPEC §2.3): unique, and stable under unrelated edits. A user `id:` wins;
 * otherwise the slug of the step's name, or of its action and file for unnamed steps.
 * Only duplicates get a numeric suffix (`-2`, `-3` in order of appearance), so adding
 * or removing a differently named step never renames another one.
 */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
  return slug === "" ? "step" : slug;
}

/** Hands out unique ids; remembers every id it gave so that later duplicates get a suffix. */
export class IdAllocator {
  private readonly used = new Set<string>();
  private readonly counts = new Map<string, number>();

  /** Reserve an id exactly as given (user ids, before any derive); false if taken already. */
  claim(id: string): boolean {
    if (this.used.has(id)) return false;
    this.used.add(id);
    return true;
  }

  /** A fresh id from `base`: `base` itself when free, else `base-2`, `base-3`, ... */
  derive(base: string): string {
    let n = this.counts.get(base) ?? 1;
    let id = n === 1 ? base : `${base}-${n}`;
    while (this.used.has(id)) {
      n += 1;
      id = `${base}-${n}`;
    }
    this.counts.set(base, n + 1);
    this.used.add(id);
    return id;
  }
}
