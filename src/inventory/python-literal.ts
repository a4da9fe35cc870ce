/**
 * An INI inventory value → data, as Ansible reads it with Python's `ast.literal_eval`:
 * `22` is a number, `True` a boolean, `'03'` the string 03, `[1, 2]` a list, `{'a': 1}` a
 * mapping, and anything that is not a Python literal (`yes`, `web01`, `1.2.3`, `022`) the
 * text itself. A `#` comment after a literal is Python syntax too (`x=8080 # port` is 8080).
 */

const NOT_LITERAL = Symbol("not a literal");
type Parsed = unknown | typeof NOT_LITERAL;

const NUMBER =
  /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:[0-9](?:_?[0-9])*)?\.?[0-9](?:_?[0-9])*(?:[eE][+-]?[0-9](?:_?[0-9])*)?\.?)/;
const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "0": "\0",
  "\n": "",
};

class Reader {
  at = 0;
  constructor(readonly text: string) {}

  /** Skips blanks and a comment; returns the next character. */
  peek(): string {
    for (;;) {
      while (/[ \t\r\n]/.test(this.text[this.at] ?? "")) this.at++;
      if (this.text[this.at] !== "#") return this.text[this.at] ?? "";
      while (this.at < this.text.length && this.text[this.at] !== "\n") this.at++;
    }
  }

  eat(ch: string): boolean {
    if (this.peek() !== ch) return false;
    this.at++;
    return true;
  }
}

function numberValue(source: string): Parsed {
  const clean = source.replace(/_/g, "");
  if (/^0[xob]/i.test(clean)) return Number(clean);
  // Python 3 refuses `022` (leading zeros on a non-zero integer).
  if (/^0[0-9]+$/.test(clean) && !/^0+$/.test(clean)) return NOT_LITERAL;
  const value = Number(clean);
  if (!Number.isFinite(value)) return NOT_LITERAL;
  return /[.eE]/.test(clean) || Number.isSafeInteger(value) ? value : NOT_LITERAL;
}

function stringValue(r: Reader): Parsed {
  let raw = false;
  if (/[rRuU]/.test(r.text[r.at] ?? "") && /['"]/.test(r.text[r.at + 1] ?? "")) {
    raw = /[rR]/.test(r.text[r.at] ?? "");
    r.at++;
  }
  const quote = r.text[r.at];
  if (r.text.startsWith(quote === "'" ? "'''" : '"""', r.at)) return NOT_LITERAL;
  r.at++;
  let out = "";
  while (r.at < r.text.length && r.text[r.at] !== quote) {
    const ch = r.text[r.at] ?? "";
    if (ch === "\n") return NOT_LITERAL;
    if (ch === "\\" && !raw) {
      const next = r.text[r.at + 1] ?? "";
      const hex = /^x([0-9a-fA-F]{2})|^u([0-9a-fA-F]{4})/.exec(r.text.slice(r.at + 1));
      if (hex) {
        out += String.fromCharCode(parseInt(hex[1] ?? hex[2] ?? "", 16));
        r.at += 1 + hex[0].length;
        continue;
      }
      out += ESCAPES[next] ?? `\\${next}`;
      r.at += 2;
      continue;
    }
    out += ch;
    r.at++;
  }
  if (r.at >= r.text.length) return NOT_LITERAL;
  r.at++;
  return out;
}

/** Items up to `close`, comma-separated, a trailing comma allowed. */
function items(r: Reader, close: string, item: (r: Reader) => Parsed): Parsed[] | null {
  const out: Parsed[] = [];
  while (!r.eat(close)) {
    const value = item(r);
    if (value === NOT_LITERAL) return null;
    out.push(value);
    if (!r.eat(",")) return r.eat(close) ? out : null;
  }
  return out;
}

function mapping(r: Reader): Parsed {
  const out: Record<string, unknown> = {};
  let isSet = false;
  const entries = items(r, "}", (inner) => {
    const key = value(inner);
    if (key === NOT_LITERAL) return NOT_LITERAL;
    if (!inner.eat(":")) {
      isSet = true;
      return key;
    }
    const v = value(inner);
    if (v === NOT_LITERAL) return NOT_LITERAL;
    out[String(key)] = v;
    return v;
  });
  if (entries === null) return NOT_LITERAL;
  // A set literal becomes a list, as Ansible converts it.
  return isSet ? [...new Set(entries)] : out;
}

function value(r: Reader): Parsed {
  const ch = r.peek();
  if (ch === "[") {
    r.at++;
    return items(r, "]", value) ?? NOT_LITERAL;
  }
  if (ch === "(") {
    r.at++;
    return items(r, ")", value) ?? NOT_LITERAL;
  }
  if (ch === "{") {
    r.at++;
    return mapping(r);
  }
  if (/['"]/.test(ch) || /^[rRuU]['"]/.test(r.text.slice(r.at, r.at + 2))) {
    // Adjacent strings concatenate: 'a' "b" is 'ab'.
    let out = "";
    do {
      const s = stringValue(r);
      if (s === NOT_LITERAL) return NOT_LITERAL;
      out += String(s);
    } while (/['"]/.test(r.peek()));
    return out;
  }
  if (ch === "-" || ch === "+") {
    r.at++;
    const inner = value(r);
    if (typeof inner !== "number") return NOT_LITERAL;
    return ch === "-" ? -inner : inner;
  }
  const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(r.text.slice(r.at))?.[0];
  if (word !== undefined) {
    r.at += word.length;
    const words: Record<string, unknown> = { True: true, False: false, None: null };
    return Object.hasOwn(words, word) ? words[word] : NOT_LITERAL;
  }
  const num = NUMBER.exec(r.text.slice(r.at))?.[0];
  if (num === undefined || num === "") return NOT_LITERAL;
  r.at += num.length;
  if (/[jJA-Za-z_]/.test(r.text[r.at] ?? "")) return NOT_LITERAL;
  return numberValue(num);
}

/** The value of an INI inventory value: a Python literal's value, else the text as written. */
export function pythonLiteral(text: string): unknown {
  const r = new Reader(text);
  if (r.peek() === "") return text;
  const first = value(r);
  if (first === NOT_LITERAL) return text;
  // `a, b` is a tuple in Python: a list here.
  if (r.eat(",")) {
    const rest = items(r, "", value);
    if (rest === null) return text;
    return [first, ...rest];
  }
  return r.peek() === "" ? first : text;
}
