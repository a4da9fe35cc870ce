/** Reading a file named on the command line: its text, or the error that says which file is missing. */
import { readFileSync } from "node:fs";
import type { Diagnostic } from "../model/diagnostic.js";

export function readInput(file: string, what: string): string | Diagnostic {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return { severity: "error", code: "missing-file", message: `${what} '${file}' not found` };
  }
}
