/**
 * A bounded least-recently-used map. The planner parses the same few templates
 * thousands of times inside loops; parsing once per source string keeps planning fast.
 */
export class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}

  get(key: string, make: (key: string) => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      // Re-insert so that Map order tracks recency; the oldest entry is evicted first.
      this.map.delete(key);
      this.map.set(key, hit);
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
