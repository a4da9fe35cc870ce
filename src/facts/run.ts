/** Runs a program for a fact: its trimmed stdout, or "" when it fails or exceeds the timeout. */
import { execFileSync } from "node:child_process";

export function run(file: string, args: string[], timeoutMs: number): string {
  try {
    return execFileSync(file, args, {
      timeout: timeoutMs,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  } catch {
    return "";
  }
}
