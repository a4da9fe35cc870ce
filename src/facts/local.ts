/**
 * Local system facts, gathered lazily: a fact is computed the first time it is
 * asked for, then cached, so a plan that reads only `os` never runs `python3`.
 * The planner records only the facts it used (SPEC §1.4, §2.2).
 */
import { gatherers } from "./gatherers.js";

export interface FactSource {
  /** The fact's value, or undefined when there is no such fact. */
  get(name: string): unknown | undefined;
  names(): string[];
}

export interface LocalFactsOptions {
  /** Bound on each process a fact runs (e.g. `python3 --version`). @default 2000 */
  timeoutMs?: number;
  /** Called when a fact is computed (not when served from the cache); for tests and tracing. */
  onCompute?: (name: string) => void;
}

export function localFacts(opts: LocalFactsOptions = {}): FactSource {
  const timeoutMs = opts.timeoutMs ?? 2000;
  const cache = new Map<string, unknown>();
  const get = (name: string): unknown => {
    if (cache.has(name)) return cache.get(name);
    const gather = Object.hasOwn(gatherers, name) ? gatherers[name] : undefined;
    if (gather === undefined) return undefined;
    opts.onCompute?.(name);
    const value = gather(get, timeoutMs);
    cache.set(name, value);
    return value;
  };
  return {
    // Names starting with "_" are shared intermediate results, not facts.
    get: (name) => (name.startsWith("_") ? undefined : get(name)),
    names: () =>
      Object.keys(gatherers)
        .filter((n) => !n.startsWith("_"))
        .sort(),
  };
}
