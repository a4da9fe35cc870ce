/**
 * Reading into a value: `obj.name`, `obj['name']` and `seq[i]` on plain data only (own
 * properties of dicts, in-range items of lists and strings), an undefined result as a
 * `Missing` that says what was missing, and names the sandbox refuses read as undefined.
 */
import { failAt } from "./errors.js";
import { isDict } from "./plain.js";
import { checkData, isBlockedName, refusal, refuseName } from "./sandbox.js";
import { Secret, taintWith } from "./secret.js";
import { Missing, objectName, typeName } from "./values.js";

/** Attribute or item access on a soft Missing fails like any undefined value. */
export function hard(m: Missing): Missing {
  return m.soft ? new Missing(m.error) : m;
}

/**
 * A read of a name the sandbox never looks up (`constructor`, `__proto__` ...) gives
 * an undefined value that says why: `is defined` is false and `default()` applies, and
 * using it is the sandbox's error.
 */
export function refusedRead(name: string, offset: number): Missing {
  return new Missing(refusal(name, offset));
}

/** `obj.name` and `obj['name']`: own data properties of dicts only. */
export function attribute(obj: unknown, name: string, offset: number, length: number): unknown {
  if (obj instanceof Missing) return hard(obj);
  if (obj instanceof Secret) return taintWith(attribute(obj.value, name, offset, length), obj);
  if (isDict(obj)) {
    if (Object.hasOwn(obj, name)) {
      const v = obj[name];
      checkData(v, `attribute '${name}'`, offset, length);
      if (v !== undefined) return v;
    }
  } else {
    checkData(obj, "this value", offset, length);
  }
  return new Missing({
    code: "undefined",
    message: `'${objectName(obj)}' has no attribute '${name}'`,
    offset,
    length,
  });
}

/** `obj[key]`: a dict's key, or a list's or string's index (negative from the end). */
export function item(obj: unknown, key: unknown, offset: number, length: number): unknown {
  if (typeof key === "string" && isBlockedName(key)) refuseName(key, offset);
  if (isDict(obj)) {
    if (typeof key === "string" || typeof key === "number") {
      return attribute(obj, String(key), offset, length);
    }
    return failAt("type", `unhashable key of type '${typeName(key)}'`, offset, length);
  }
  if (Array.isArray(obj) || typeof obj === "string") {
    if (typeof key === "string") return attribute(obj, key, offset, length);
    if (typeof key !== "number" || !Number.isInteger(key)) {
      return failAt(
        "type",
        `${typeName(obj)} indices must be integers, not ${typeName(key)}`,
        offset,
        length,
      );
    }
    const items = typeof obj === "string" ? [...obj] : obj;
    const i = key < 0 ? key + items.length : key;
    if (i >= 0 && i < items.length) {
      const v = items[i];
      checkData(v, `item ${key}`, offset, length);
      if (v !== undefined) return v;
    }
    return new Missing({
      code: "undefined",
      message: `'${objectName(obj)}' has no element ${key}`,
      offset,
      length,
    });
  }
  checkData(obj, "this value", offset, length);
  return new Missing({
    code: "undefined",
    message: `'${objectName(obj)}' has no element ${typeof key === "string" ? `'${key}'` : String(key)}`,
    offset,
    length,
  });
}
