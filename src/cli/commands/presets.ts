/**
 * `cairn presets [list | show NAME]`: what presets the search path offers, and one
 * preset's parameters as a table to read before calling it.
 */
import { resolve } from "node:path";
import { findPreset, listPresets, type PresetEntry } from "../../api/presets.js";
import { presetSearchPath } from "../../api/preset-path.js";
import { didYouMean, type PresetFile } from "../../schema/index.js";
import { EXIT, reportDiagnostics } from "../exit.js";
import { sourceReader } from "../sources.js";

export interface PresetsFlags {
  presetsDir: string[];
}

function searchDirs(flags: PresetsFlags): string[] {
  return [resolve("presets"), ...presetSearchPath(flags.presetsDir, process.env)];
}

export async function presetsCommand(
  action: string | undefined,
  name: string | undefined,
  flags: PresetsFlags,
): Promise<number> {
  const dirs = searchDirs(flags);
  if (action === undefined || action === "list") {
    if (name !== undefined) return usage(`'presets list' takes no name (got '${name}')`);
    return list(dirs);
  }
  if (action === "show") {
    if (name === undefined) return usage("'presets show' needs a preset name");
    return show(dirs, name);
  }
  return usage(`unknown presets command '${action}' (use 'list' or 'show NAME')`);
}

function usage(message: string): number {
  process.stderr.write(`error: ${message}\n`);
  return EXIT.invalid;
}

function list(dirs: string[]): number {
  const all = listPresets(dirs);
  if (all.length === 0) {
    process.stdout.write(`no presets found in:\n${dirs.map((d) => `  ${d}\n`).join("")}`);
    return EXIT.ok;
  }
  const rows = all.map((e) =>
    e.preset.ok
      ? [e.name, e.preset.value.version ?? "", e.preset.value.description ?? ""]
      : [e.name, "", `(cannot be read: ${e.preset.error[0]?.message ?? "invalid"})`],
  );
  process.stdout.write(table(["NAME", "VERSION", "DESCRIPTION"], rows));
  process.stdout.write(`\n${all.length} presets. Searched, first match wins:\n`);
  for (const d of dirs) process.stdout.write(`  ${d}\n`);
  return EXIT.ok;
}

async function show(dirs: string[], name: string): Promise<number> {
  const entry: PresetEntry | null = findPreset(dirs, name);
  if (entry === null) {
    const hint = didYouMean(
      name,
      listPresets(dirs).map((e) => e.name),
    );
    return usage(`preset '${name}' not found${hint === null ? "" : ` (${hint})`}`);
  }
  if (!entry.preset.ok) return reportDiagnostics(entry.preset.error, sourceReader(process.cwd()));
  process.stdout.write(describePreset(entry.preset.value, entry.file));
  return EXIT.ok;
}

/** A preset's page: what it is, where it was found, its parameters, and how to call it. */
export function describePreset(p: PresetFile, file: string): string {
  const out: string[] = [];
  out.push(`${p.name}${p.version === null ? "" : ` ${p.version}`}`);
  if (p.description !== null) out.push(p.description);
  out.push(`from ${file}`, "");
  const params = Object.entries(p.parameters);
  if (params.length === 0) out.push("Parameters: none", "");
  else {
    out.push("Parameters:");
    const rows = params.map(([n, d]) => [
      n,
      d.type,
      d.required ? "yes" : "no",
      d.default === undefined ? "" : JSON.stringify(d.default),
      d.enum === null
        ? ""
        : d.enum.map((e) => (typeof e === "string" ? e : JSON.stringify(e))).join(" | "),
      d.description ?? "",
    ]);
    out.push(
      table(["NAME", "TYPE", "REQUIRED", "DEFAULT", "ALLOWED", "DESCRIPTION"], rows)
        .trimEnd()
        .split("\n")
        .map((l) => `  ${l}`)
        .join("\n"),
      "",
    );
  }
  const required = params.filter(([, d]) => d.required && d.default === undefined);
  out.push("Usage:", `  - name: ${p.description ?? p.name}`, `    preset: ${p.name}`);
  if (required.length > 0) {
    out.push("    with:");
    for (const [n, d] of required)
      out.push(
        `      ${n}: ${d.enum?.[0] !== undefined ? JSON.stringify(d.enum[0]) : `<${d.type}>`}`,
      );
  }
  out.push("", `${p.steps.length} steps; read parameters as {{ parameters.NAME }}.`);
  return `${out.join("\n")}\n`;
}

/** Left-aligned columns two spaces apart; the last column is not padded. */
function table(head: string[], rows: string[][]): string {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  return `${all
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}
