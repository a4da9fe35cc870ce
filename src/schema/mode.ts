/**
 * File modes. YAML 1.2 (like mooncake's yaml.v3) reads `mode: 0644` as the decimal
 * integer 644, while `0o644` is octal 420. Decision: a mode written as a plain number
 * is read by its digits as octal (`644` and `0644` both mean rw-r--r--), so that the
 * Ansible habit works; a number whose source is `0o…`/`0x…` keeps its value. A number
 * with a digit 8 or 9 (`mode: 0689`) is an error. Modes are normalized to an octal
 * string of four digits (`"0644"`); strings are kept as written (they may be templates).
 */

export const MODE_STRING_PATTERN = /^(?:0o)?[0-7]{3,4}$/;

/**
 * The normalized octal string of a numeric mode, given the scalar's source text when
 * known, or null when the number cannot be a mode.
 */
export function numericMode(value: number, source: string | undefined): string | null {
  if (!Number.isInteger(value) || value < 0) return null;
  const explicitBase = source !== undefined && /^0[oOxX]/.test(source.trim());
  const octal = explicitBase ? value.toString(8) : String(value);
  if (!/^[0-7]{1,4}$/.test(octal)) return null;
  return octal.padStart(4, "0");
}
