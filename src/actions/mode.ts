/**
 * File modes from playbooks: "0644", "644", "0o644" or a number. YAML 1.2 reads
 * `mode: 0644` as the decimal 644, so a number whose decimal digits are all 0-7 is
 * read as those octal digits (644 → 0o644); 420 would be 0o420, as Ansible warns.
 */
import { ArgError } from "./args.js";

export function parseMode(v: unknown): number | null {
  if (v === undefined || v === null) return null;
  const digits = typeof v === "number" && Number.isInteger(v) && v >= 0 ? String(v) : v;
  if (typeof digits === "string") {
    const m = /^(?:0o)?([0-7]{1,4})$/.exec(digits.trim());
    if (m) return Number.parseInt(m[1] as string, 8);
  }
  throw new ArgError(`invalid mode ${JSON.stringify(v)}: use an octal string such as "0644"`);
}

/** As users write it: "0644". */
export function formatMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, "0");
}
