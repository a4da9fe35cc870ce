/**
 * Bash-only syntax in a script that `sh` ran: mooncake runs `shell:` with bash, cairn
 * with `sh` (SPEC §1.3), so a mooncake script using `[[`, `{a,b}`, `source` or arrays
 * can fail here. When such a script fails, its failure says what looks like bash.
 */

const BASHISMS: readonly [RegExp, string][] = [
  [/(^|[\s;&|(])\[\[\s/m, "[[ ... ]]"],
  [/(^|[\s;&|(])source\s+\S/m, "source"],
  [/\{[^{}\s$]*,[^{}\s]*\}/, "{a,b} expansion"],
  [/\{\d+\.\.\d+\}/, "{1..n} expansion"],
  [/(^|[\s;])[A-Za-z_]\w*=\(/m, "arrays"],
  [/\$\{[A-Za-z_]\w*\[/, "arrays"],
  [/(^|[\s;])(declare|local -a|shopt|pushd|popd)\s/m, "bash builtins"],
  [/<<<|<\(|>\(/, "here-strings or process substitution"],
  [/\$'[^']*\\/, "$'...' strings"],
];

/** What in `script` is bash-only, or null when nothing is. */
export function bashOnly(script: string): string | null {
  const found = [...new Set(BASHISMS.filter(([re]) => re.test(script)).map(([, what]) => what))];
  return found.length === 0 ? null : found.join(", ");
}
