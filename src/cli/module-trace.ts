/**
 * `CAIRN_MODULE_TRACE=FILE`: at exit, FILE lists the source modules of the CLI bundle
 * that this process initialized, one repository path per line, in order.
 *
 * Why: the bundle initializes a module only when a command first needs it (the live TTY
 * view, network and archive code, OpenTelemetry); a test asks which ones a command
 * initialized instead of inferring it from timings. scripts/build-cli.mjs ends every
 * module of src/ with a call of `__cairnModuleTrace`, which costs one property read when
 * tracing is off.
 */
import { writeFileSync } from "node:fs";

export function traceModules(file: string | undefined): void {
  if (!file) return;
  const initialized: string[] = [];
  (globalThis as { __cairnModuleTrace?: (source: string) => void }).__cairnModuleTrace = (source) =>
    initialized.push(source);
  process.once("exit", () => writeFileSync(file, `${initialized.join("\n")}\n`));
}
