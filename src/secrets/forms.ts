/**
 * The forms in which a revealed secret can reach output (SPEC §1.7, issue 13): the
 * value, each line of a multi-line value, its JSON-escaped and URL-encoded text, and
 * its base64 at the three byte alignments (a secret inside a longer base64'd text is
 * encoded from an offset of 0, 1 or 2 bytes; only the characters that depend on the
 * secret alone are kept, so the form is found whatever surrounds it).
 */

/** Shorter forms would mask every "a": a secret under this length is refused, not masked. */
export const MIN_SECRET_LENGTH = 4;

export function secretForms(value: string): string[] {
  const forms = new Set<string>();
  const add = (f: string) => {
    if (f.length >= MIN_SECRET_LENGTH) forms.add(f);
  };
  add(value);
  for (const line of value.split(/\r?\n/)) add(line.trim() === "" ? "" : line);
  add(JSON.stringify(value).slice(1, -1));
  add(encodeURIComponent(value));
  add(encodeURIComponent(value).replace(/%20/g, "+"));
  const bytes = Buffer.from(value, "utf8");
  for (const k of [0, 1, 2]) add(base64Core(bytes, k));
  return [...forms];
}

/**
 * The base64 characters of `bytes` placed `k` bytes into a stream that depend on
 * nothing but `bytes`: the first ones also encode the preceding bytes, the last one
 * (or a padded end) the following ones.
 */
function base64Core(bytes: Buffer, k: number): string {
  const text = Buffer.concat([Buffer.alloc(k), bytes]).toString("base64");
  const start = Math.ceil((8 * k) / 6);
  const end = Math.floor((8 * (k + bytes.length)) / 6);
  return text.slice(start, end);
}
