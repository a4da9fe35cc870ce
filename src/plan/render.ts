/**
 * Renders one field of a step under the binding model (SPEC §2.1): a string that
 * reads only plan-time values is rendered now; one that reads a registered result
 * is kept as its template and listed in `deferred`, with the names it waits for.
 */
import type { Diagnostic, SourcePos } from "../model/diagnostic.js";
import type { Deferred } from "../model/plan.js";
import {
  freeVariablesOfTemplate,
  isTemplated,
  refName,
  renderValue,
  secretRef,
  type TemplateError,
} from "../template/index.js";
import { didYouMean } from "../schema/index.js";
import { checkDeferred } from "./check-deferred.js";
import { aliasOf, secretsRead } from "./secret-reads.js";
import type { ScopeTable } from "./scope.js";

export type DocPath = readonly (string | number)[];

export interface RenderSite {
  /** Locates a character of the string at a document path (for errors). */
  locateInString(path: DocPath, offset: number, length?: number): SourcePos;
  /** Names that are runtime values at this point (registered by earlier steps). */
  runtime: ReadonlySet<string>;
  scopes: ScopeTable;
  /** The variables visible to this step (scope view plus loop variables). */
  vars: Record<string, unknown>;
  /** Other objects that must see facts looked up for this step (the scope's view). */
  alsoFacts: Record<string, unknown>[];
  env: Record<string, string | undefined>;
  deferred: Record<string, Deferred>;
  diagnostics: Diagnostic[];
  chain: SourcePos[];
  /** The secrets the playbook defines (a reference to another one is an error). */
  secretNames: ReadonlySet<string>;
}

export function templateDiagnostic(
  site: RenderSite,
  path: DocPath,
  e: TemplateError,
  what: string,
): Diagnostic {
  const d: Diagnostic = {
    severity: "error",
    code: e.code === "undefined" ? "undefined-variable" : `template-${e.code}`,
    message: `${what}: ${e.message}`,
    pos: site.locateInString(path, e.offset, Math.max(1, e.length)),
    chain: site.chain,
  };
  // An undefined root name close to a known one is most likely a typo of it.
  const name = e.code === "undefined" ? /^'([^']+)' is undefined/.exec(e.message)?.[1] : undefined;
  const close =
    name === undefined ? null : didYouMean(name, [...Object.keys(site.vars), ...site.runtime]);
  if (close !== null) d.hint = close;
  else if (e.hint !== undefined) d.hint = e.hint;
  else if (e.code === "undefined")
    d.hint = "define it in vars, pass --var, or use `| default(...)`";
  return d;
}

/** Free variables of a template string; reports a syntax error and returns null. */
export function freeVars(
  site: RenderSite,
  path: DocPath,
  text: string,
  what: string,
): string[] | null {
  const fv = freeVariablesOfTemplate(text);
  if (!fv.ok) {
    site.diagnostics.push(templateDiagnostic(site, path, fv.error, what));
    return null;
  }
  return fv.value;
}

/** Renders `value` (recursively for lists and maps); `key` is its dotted path in the plan step. */
export function renderField(site: RenderSite, value: unknown, path: DocPath, key: string): unknown {
  if (typeof value === "string") return renderString(site, value, path, key);
  if (Array.isArray(value))
    return value.map((v, i) => renderField(site, v, [...path, i], `${key}.${i}`));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = renderField(site, v, [...path, k], `${key}.${k}`);
    return out;
  }
  return value;
}

function renderString(site: RenderSite, text: string, path: DocPath, key: string): unknown {
  if (!isTemplated(text)) return checkRef(site, text, path);
  const fv = freeVars(site, path, text, `in '${key}'`);
  if (fv === null) return text;
  const waits = fv.filter((n) => site.runtime.has(n));
  site.scopes.ensureFacts(fv, [site.vars, ...site.alsoFacts], text);
  const secrets = site.secretNames.size === 0 ? [] : secretsRead(site.vars, fv);
  if (secrets.length > 0) return deferSecret(site, text, path, key, waits, secrets);
  if (waits.length > 0) {
    site.deferred[key] = { template: text, needs: waits };
    checkDeferred(site, { kind: "template", text, offset: 0, path, what: `in '${key}'` });
    return text;
  }
  const r = renderValue(text, site.vars, { env: site.env });
  if (!r.ok) {
    site.diagnostics.push(templateDiagnostic(site, path, r.error, `in '${key}'`));
    return text;
  }
  return r.value;
}

/** A `!secret NAME` reference must name a defined secret. */
function checkRef(site: RenderSite, text: string, path: DocPath): string {
  const name = refName(text);
  if (name !== null && !site.secretNames.has(name)) {
    site.diagnostics.push({
      severity: "error",
      code: "unknown-secret",
      message: `unknown secret '${name}'`,
      pos: site.locateInString(path, 0, text.length),
      chain: site.chain,
      hint:
        didYouMean(name, site.secretNames) ??
        "define it under 'secrets:', in --secrets-file or in secret_env",
    });
  }
  return text;
}

/**
 * A field that reads a secret: deferred with the reason `secret` and shown as the
 * reference. A variable or loop item may name a secret (`{{ db_pw }}`), and then holds
 * its reference; computing one from a secret would put the result in the plan.
 */
function deferSecret(
  site: RenderSite,
  text: string,
  path: DocPath,
  key: string,
  waits: string[],
  secrets: string[],
): unknown {
  if (key.startsWith("vars") || key.startsWith("with_items")) {
    const alias = aliasOf(text);
    // Naming a variable that holds secrets passes its references on, unread.
    if (alias !== null) return site.vars[alias];
    site.diagnostics.push({
      severity: "error",
      code: "secret-in-plan",
      message: `in '${key}': a value computed from secret '${secrets[0]}' would be written into the plan`,
      pos: site.locateInString(path, 0, text.length),
      chain: site.chain,
      hint: `a variable or loop item may only name a secret ('{{ ${secrets[0]} }}'); compute in the step's own field, which is read when it runs`,
    });
    return text;
  }
  site.deferred[key] = { template: text, needs: waits, reason: "secret", secrets };
  checkDeferred(site, { kind: "template", text, offset: 0, path, what: `in '${key}'` });
  if (waits.length > 0) return text;
  // Shown with the references in place ("user «secret:db_pw»"); the value is read when it runs.
  const shown = renderValue(text, site.vars, { env: site.env });
  return shown.ok && typeof shown.value === "string" ? shown.value : secretRef(secrets[0]!);
}
