/**
 * Taint: a value marked secret stays secret through every operation, filter, function,
 * method and template that uses it; `reveal` gets the raw value and `redact` the
 * `«secret:name»` placeholder.
 */
import { describe, expect, test } from "vitest";
import {
  evalExpression,
  isSecret,
  parseTemplate,
  redact,
  render,
  renderValue,
  reveal,
  type Scope,
  secret,
  toDisplayString,
} from "./index.js";

const scope = (): Scope => ({
  pw: secret("hunter2", "db_password"),
  creds: secret({ user: "admin", token: "t0k" }, "creds"),
  db: { host: "h", password: secret("p4ss", "db") },
  keys: secret(["k1", "k2"], "keys"),
  user: "bob",
  t: true,
});

function evalSecret(src: string): { secret: boolean; raw: unknown; shown: unknown } {
  const r = evalExpression(src, scope());
  if (!r.ok) throw new Error(`${src}: ${r.error.message}`);
  return { secret: isSecret(r.value), raw: reveal(r.value), shown: redact(r.value) };
}

describe("secrets taint every result computed from them", () => {
  test.each([
    ["pw", "hunter2"],
    ["'pw=' ~ pw", "pw=hunter2"],
    ["pw + '!'", "hunter2!"],
    ["pw | upper", "HUNTER2"],
    ["pw | length", 7],
    ["pw.upper()", "HUNTER2"],
    ["len(pw)", 7],
    ["starts_with(pw, 'hun')", true],
    ["[user, pw] | join(',')", "bob,hunter2"],
    ["pw if t else 'none'", "hunter2"],
    ["'a' if pw == 'hunter2' else 'b'", "a"],
    ["pw == 'x'", false],
    ["'hunt' in pw", true],
    ["creds.token", "t0k"],
    ["creds['user']", "admin"],
    ["creds | dict2items | length", 2],
    ["db.password ~ '@' ~ db.host", "p4ss@h"],
    ["db | to_json", '{"host": "h", "password": "p4ss"}'],
    ["keys[0]", "k1"],
    ["keys | join(' ')", "k1 k2"],
    ["missing | default(pw)", "hunter2"],
    ["pw | default('x')", "hunter2"],
    ["pw | b64encode", "aHVudGVyMg=="],
    ["pw | hash('sha256') | length", 64],
    ["not pw", false],
  ])("%s", (src, raw) => {
    const r = evalSecret(src);
    expect(r.secret).toBe(true);
    expect(r.raw).toEqual(raw);
    expect(String(r.shown)).toMatch(/^«secret:\w+»$/);
  });

  test("a secret's name is kept and printed redacted", () => {
    expect(evalSecret("pw ~ user").shown).toBe("«secret:db_password»");
    expect(toDisplayString(secret("x", "api"))).toBe("«secret:api»");
    expect(redact({ a: [secret(1, "n")], b: 2 })).toEqual({ a: ["«secret:n»"], b: 2 });
  });

  test("what does not read a secret stays plain", () => {
    expect(evalSecret("user | upper").secret).toBe(false);
    expect(evalSecret("pw is defined").secret).toBe(false);
    expect(evalSecret("db.host").secret).toBe(false);
    expect(evalSecret("'x' if t else pw").secret).toBe(false);
  });

  test("reveal unwraps nested secrets", () => {
    expect(reveal({ a: secret([1, secret(2, "in")], "out") })).toEqual({ a: [1, 2] });
    expect(secret(secret(1, "a"), "b").name).toBe("a");
  });
});

describe("templates that use a secret render to a secret", () => {
  const renderOf = (src: string): unknown => {
    const tpl = parseTemplate(src);
    if (!tpl.ok) throw new Error(tpl.error.message);
    const r = render(tpl.value, scope());
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };

  test("printing a secret", () => {
    const out = renderOf("password={{ pw }}\n");
    expect(isSecret(out)).toBe(true);
    expect(reveal(out)).toBe("password=hunter2\n");
    expect(redact(out)).toBe("«secret:db_password»");
  });

  test("looping over a secret list", () => {
    const out = renderOf("{% for k in keys %}{{ k }};{% endfor %}");
    expect(isSecret(out)).toBe(true);
    expect(reveal(out)).toBe("k1;k2;");
  });

  test("branching on a secret", () => {
    const out = renderOf("{% if pw == 'hunter2' %}yes{% endif %}");
    expect(isSecret(out)).toBe(true);
    expect(reveal(out)).toBe("yes");
  });

  test("a set variable carries the taint", () => {
    const out = renderOf("{% set url = 'https://' ~ creds.user ~ ':' ~ creds.token %}{{ url }}");
    expect(reveal(out)).toBe("https://admin:t0k");
    expect(isSecret(out)).toBe(true);
  });

  test("a template that does not print the secret is plain", () => {
    expect(renderOf("{{ user }}{% if pw is defined %}!{% endif %}")).toBe("bob!");
  });

  test("renderValue keeps native secrets and taints strings", () => {
    const native = renderValue("{{ creds }}", scope());
    expect(native.ok && isSecret(native.value)).toBe(true);
    const text = renderValue("u={{ creds.user }}", scope());
    expect(text.ok && isSecret(text.value) && reveal(text.value)).toBe("u=admin");
  });
});
