/** Exit codes (SPEC §4) and the one place that prints user errors. */
import type { Diagnostic } from "../model/diagnostic.js";

export const EXIT = { ok: 0, failed: 1, invalid: 2, internal: 3, interrupted: 130 } as const;

export function useColor(stream: NodeJS.WriteStream): boolean {
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0";
  return stream.isTTY === true;
}

/** Prints diagnostics with their source lines on stderr and returns exit code 2. */
export async function reportDiagnostics(
  diagnostics: readonly Diagnostic[],
  sources: (path: string) => string | undefined,
): Promise<number> {
  const { formatDiagnostics } = await import("../report/diagnostics.js");
  process.stderr.write(
    `${formatDiagnostics([...diagnostics], sources, { color: useColor(process.stderr) })}\n`,
  );
  return EXIT.invalid;
}
