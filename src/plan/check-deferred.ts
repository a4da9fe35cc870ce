/**
 * Plan-time checks of a field that cannot be evaluated yet because it reads a runtime
 * value (SPEC §2.1, §1.5): every filter, test and function it names exists, and
 * every variable it reads outside a `default` / `is defined` guard is known — a
 * plan-time variable, a fact, a loop variable, or a value registered by an earlier
 * step. So a typo is found by `cairn validate`, at its character, not mid-run.
 */
import {
  checkNamesOfExpression,
  checkNamesOfTemplate,
  unguardedFreeVariablesOfExpression,
  unguardedFreeVariablesOfTemplate,
} from "../template/index.js";
import { type DocPath, type RenderSite, templateDiagnostic } from "./render.js";

export interface DeferredCheck {
  kind: "template" | "expression";
  text: string;
  /** Where `text` starts inside the YAML string (a `when: "{{ x }}"` is checked as `x`). */
  offset: number;
  path: DocPath;
  what: string;
  /** Names valid here besides variables and registered values (`result` in changed_when). */
  extra?: ReadonlySet<string>;
}

export function checkDeferred(site: RenderSite, c: DeferredCheck): void {
  const shift = <E extends { offset: number }>(e: E): E => ({ ...e, offset: e.offset + c.offset });
  const names =
    c.kind === "template" ? checkNamesOfTemplate(c.text) : checkNamesOfExpression(c.text);
  if (!names.ok) {
    site.diagnostics.push(templateDiagnostic(site, c.path, shift(names.error), c.what));
    return;
  }
  const reads =
    c.kind === "template"
      ? unguardedFreeVariablesOfTemplate(c.text)
      : unguardedFreeVariablesOfExpression(c.text);
  if (!reads.ok) return;
  for (const name of reads.value) {
    if (Object.hasOwn(site.vars, name) || site.runtime.has(name) || c.extra?.has(name) === true)
      continue;
    const at = firstRead(c.text, name);
    site.diagnostics.push(
      templateDiagnostic(
        site,
        c.path,
        {
          code: "undefined",
          message: `'${name}' is undefined: not a variable, a fact, or a value registered by an earlier step`,
          offset: at + c.offset,
          length: name.length,
          hint: `define '${name}', register it in an earlier step, or guard it with '${name} | default(...)'`,
        },
        c.what,
      ),
    );
  }
}

/** Offset of the first read of `name` as a root variable (not after a dot, not a longer word). */
function firstRead(text: string, name: string): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(`(?<![\\w.])${escaped}(?!\\w)`).exec(text);
  return m === null ? 0 : m.index;
}
