/**
 * Output masking: every form of a revealed secret is replaced wherever it appears,
 * however the stream is cut into chunks; short secrets are refused; what holds no
 * secret passes through unchanged.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { MIN_SECRET_LENGTH, secretForms } from "./forms.js";
import { Masker } from "./masker.js";
import { StreamMasker } from "./stream-mask.js";

const SECRET = 'p4ss/w+rd&"x\nline-two';

function masker(...values: string[]): Masker {
  const m = new Masker();
  for (const v of values) m.add("pw", v);
  return m;
}

/** Feeds `text` cut at `cuts` through a stream masker and returns what came out. */
function streamed(m: Masker, text: string, cuts: number[]): string {
  const s = new StreamMasker(m);
  const bytes = Buffer.from(text);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) {
    out.push(s.push(bytes.subarray(at, p)));
    at = p;
  }
  out.push(s.end());
  return Buffer.concat(out).toString();
}

describe("forms of a secret", () => {
  it("has the value, its lines, JSON, URL and base64 at the three alignments", () => {
    const forms = secretForms(SECRET);
    expect(forms).toContain(SECRET);
    expect(forms).toContain("line-two");
    expect(forms).toContain(JSON.stringify(SECRET).slice(1, -1));
    expect(forms).toContain(encodeURIComponent(SECRET));
    for (const prefix of ["", "a", "ab"]) {
      const b64 = Buffer.from(prefix + SECRET).toString("base64");
      expect(forms.some((f) => b64.includes(f) && f.length >= 20)).toBe(true);
    }
  });

  it("refuses a secret shorter than the minimum, and keeps no form under it", () => {
    expect(masker().add("pw", "abc")).toBe(false);
    expect(secretForms("a\nbcdefg").every((f) => f.length >= MIN_SECRET_LENGTH)).toBe(true);
  });
});

describe("masking text", () => {
  it("replaces each form, in strings, keys and nested values, and keeps the rest", () => {
    const m = masker(SECRET);
    const b64 = Buffer.from(`x${SECRET}`).toString("base64");
    expect(m.mask(`a ${SECRET} b`)).toBe("a «secret:pw» b");
    expect(m.mask(b64)).toContain("«secret:pw»");
    expect(m.mask(JSON.stringify({ v: SECRET }))).toBe('{"v":"«secret:pw»"}');
    const v = { [SECRET]: [1, `q=${encodeURIComponent(SECRET)}`], plain: { a: "b" } };
    const out = m.maskDeep(v);
    expect(JSON.stringify(out)).not.toContain("p4ss");
    expect(out.plain).toBe(v.plain);
    const untouched = { a: ["b"] };
    expect(m.maskDeep(untouched)).toBe(untouched);
  });
});

describe("masking a stream", () => {
  // However the output is cut into chunks, no form of the secret comes out, and the
  // text is what masking it whole gives.
  test.prop([
    fc.array(fc.constantFrom("x", " ", "\n", SECRET, "line-two", "p4ss"), { maxLength: 12 }),
    fc.array(fc.nat(), { maxLength: 8 }),
  ])("is the same as masking the whole text, wherever the chunks are cut", (parts, cuts) => {
    const m = masker(SECRET);
    const text = parts.join("");
    const out = streamed(m, text, cuts);
    expect(out).toBe(m.mask(text));
    expect(out.includes(SECRET)).toBe(false);
    expect(out.includes("line-two")).toBe(false);
  });

  it("holds back only a tail that could begin a secret", () => {
    const m = masker("topsecret");
    const s = new StreamMasker(m);
    expect(s.push(Buffer.from("hello\n")).toString()).toBe("hello\n");
    expect(s.push(Buffer.from("a top")).toString()).toBe("a ");
    expect(s.push(Buffer.from("secret!")).toString()).toBe("«secret:pw»!");
    expect(s.push(Buffer.from("tops")).toString()).toBe("");
    expect(s.end().toString()).toBe("tops");
  });
});
