/**
 * A bounded least-recently-used map. The planner parses the same few templates
 * thousands of times inside loops; parsing once per source string keeps planning fast.
 *
 * Recency is tracked only once the map is full: until then nothing is evicted, so the
 * order does not matter, and a hit is one lookup instead of a lookup, a delete and an
 * insert (which was 5% of planning a 10,000-step loop).
 */
export class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}

  get(key: string, make: (key: string) => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      if (this.map.size >= this.limit) {
        // Re-insert so that Map order tracks recency; the oldest entry is evicted first.
        this.map.delete(key);
        this.map.set(key, hit);
      }
      return hit;
    }
    const v = make(key);
    if (this.map.size >= this.limit) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    this.map.set(key, v);
    return v;
  }
}
