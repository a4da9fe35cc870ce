/**
 * Maps the leaves (and keys) of plain data, copying only the containers on a changed
 * path: events and scopes without a secret in them pass through as the same objects.
 * A class instance (a `Secret`) is a leaf.
 */
export function mapLeaves(
  v: unknown,
  leaf: (x: unknown) => unknown,
  key: (k: string) => string = (k) => k,
): unknown {
  if (v === null || typeof v !== "object" || !isPlain(v)) return leaf(v);
  if (Array.isArray(v)) {
    const out = v.map((x) => mapLeaves(x, leaf, key));
    return out.some((x, i) => x !== v[i]) ? out : v;
  }
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const k2 = key(k);
    const y = mapLeaves(x, leaf, key);
    if (y !== x || k2 !== k) changed = true;
    // defineProperty: a key such as `__proto__` stays an ordinary key.
    Object.defineProperty(out, k2, {
      value: y,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return changed ? out : v;
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return Array.isArray(v) || proto === Object.prototype || proto === null;
}
