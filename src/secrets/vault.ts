/**
 * A run's secrets (SPEC §1.7): the plan's sources, each read at most once and only
 * when a step that needs it is about to run (so a resume reads them again, and never
 * from the journal); every value read, and every string computed from one, is given
 * to the masker. `reveal` hands a step its variables with the references it may read
 * replaced by the values, as taint-marked `Secret`s.
 */
import type { SecretSource } from "../model/plan.js";
import { refName, Secret } from "../template/index.js";
import { mapLeaves } from "./deep-map.js";
import { MIN_SECRET_LENGTH } from "./forms.js";
import { Masker } from "./masker.js";
import { readSource, type SourceContext } from "./sources.js";

export class Vault {
  readonly masker = new Masker();
  private readonly values = new Map<string, Promise<unknown>>();
  private readonly ready = new Map<string, Secret>();

  constructor(
    private readonly sources: Record<string, SecretSource>,
    private readonly ctx: Omit<SourceContext, "warn">,
  ) {}

  /**
   * Reads the named secrets not read yet; rejects with a SecretError naming the first
   * that failed. `warn` gets what is worth telling about a source (a readable file).
   */
  async resolve(names: readonly string[], warn: (message: string) => void): Promise<void> {
    await Promise.all(names.map((n) => this.read(n, warn)));
  }

  private read(name: string, warn: (message: string) => void): Promise<unknown> {
    let p = this.values.get(name);
    if (p !== undefined) return p;
    const source = this.sources[name];
    if (source === undefined) return Promise.resolve(undefined);
    p = readSource(name, source, { ...this.ctx, warn }).then((value) => {
      this.note(name, value, warn);
      this.ready.set(name, new Secret(value, name));
      return value;
    });
    // A failed read is tried again by the next step that needs it (and reported by each).
    p.catch(() => this.values.delete(name));
    this.values.set(name, p);
    return p;
  }

  /**
   * Masks `value` (every string leaf of it) from now on. A source's value too short to
   * mask is refused with a warning (`warn`); a computed one (no `warn`) silently.
   */
  note(name: string, value: unknown, warn?: (message: string) => void): void {
    if (typeof value === "string") {
      // A computed text that holds a secret is masked through it ("user=«secret:pw»").
      if (warn === undefined && this.masker.mask(value) !== value) return;
      if (!this.masker.add(name, value) && warn !== undefined && value.length > 0)
        warn(
          `secret '${name}' is shorter than ${MIN_SECRET_LENGTH} characters: it is not masked in output (masking it would hide every occurrence of those characters)`,
        );
      return;
    }
    if (typeof value === "number" && warn !== undefined) this.note(name, String(value), warn);
    if (value === null || typeof value !== "object") return;
    for (const x of Array.isArray(value) ? value : Object.values(value))
      this.note(name, x instanceof Secret ? x.value : x, warn);
  }

  /** `vars` with each reference to a secret read so far replaced by the value, deeply. */
  reveal(vars: Record<string, unknown>): Record<string, unknown> {
    if (this.ready.size === 0) return vars;
    return this.swap(vars) as Record<string, unknown>;
  }

  private swap(v: unknown): unknown {
    return mapLeaves(v, (x) => {
      const name = refName(x);
      return name === null ? x : (this.ready.get(name) ?? x);
    });
  }
}
