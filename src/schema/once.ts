/**
 * A value built on first use and kept. The playbook language's zod schemas are built
 * this way where a run may not need them (the mapping form of a playbook, `secrets:`,
 * preset files): zod constructs every schema eagerly, and building all of them was a
 * visible part of every start of the CLI.
 */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}
