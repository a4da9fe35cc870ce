/**
 * The conformance table: expression → value (or error code), covering every construct,
 * filter, test, function and method, in both the Jinja/Ansible and the mooncake forms;
 * then template → rendered text. Every bug found gets a row here.
 */
import { describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { evalExpression, parseTemplate, render, renderValue, type Scope, secret } from "./index.js";

type Expected = unknown | { error: string };
type Row = [string, Scope, Expected];

const V: Scope = {
  x: 3,
  y: 0,
  s: "Hello World",
  n: null,
  t: true,
  f: false,
  xs: [3, 1, 2],
  names: ["bob", "Alice", "carol"],
  empty: [],
  d: { a: 1, b: "two", c: [1, 2] },
  users: [
    { name: "ann", admin: true, age: 30 },
    { name: "bob", admin: false, age: 25 },
    { name: "cid", admin: true, age: 35, shell: "zsh" },
  ],
  result: { rc: 1, stdout: "Already up to date.\nok", stderr: "" },
  os: "linux",
  arch: "arm64",
  path: "/etc/nginx/nginx.conf",
  home: "~/projects",
  ansible_facts: { os_family: "Debian" },
};

const error = (code: string): { error: string } => ({ error: code });

const rows: Row[] = [
  // literals
  ["1", {}, 1],
  ["1.5", {}, 1.5],
  ["1e3", {}, 1000],
  ["'a\\tb'", {}, "a\tb"],
  ['"q\\"uote"', {}, 'q"uote'],
  ["'\\x41\\u00e9'", {}, "Aé"],
  ["'\\d+'", {}, "\\d+"],
  ["true", {}, true],
  ["True", {}, true],
  ["false", {}, false],
  ["False", {}, false],
  ["none", {}, null],
  ["None", {}, null],
  ["[1, 'a', none]", {}, [1, "a", null]],
  ["[1, 2,]", {}, [1, 2]],
  ["{'a': 1, 'b': [2]}", {}, { a: 1, b: [2] }],
  ["{}", {}, {}],
  ["(1, 2)", {}, [1, 2]],
  ["()", {}, []],
  ["(1 + 2) * 3", {}, 9],
  // arithmetic, Python semantics
  ["1 + 2 * 3", {}, 7],
  ["7 // 2", {}, 3],
  ["-7 // 2", {}, -4],
  ["7 % 3", {}, 1],
  ["-7 % 3", {}, 2],
  ["7 % -3", {}, -2],
  ["1 / 2", {}, 0.5],
  ["2 ** 10", {}, 1024],
  ["-2 ** 2", {}, 4],
  ["-x", V, -3],
  ["+x", V, 3],
  ["- -1", {}, 1],
  ["10 - 2 - 3", {}, 5],
  ["'a' + 'b'", {}, "ab"],
  ["[1] + [2]", {}, [1, 2]],
  ["'ab' * 2", {}, "abab"],
  ["[0] * 3", {}, [0, 0, 0]],
  ["[] * 1000000000", {}, []],
  ["'a' ~ 1", {}, "a1"],
  // `~` binds tighter than `+ -` and looser than `* /`, as in Jinja2
  ["'a' ~ x + 1", V, error("type")],
  ["1 + 2 ~ 3", {}, error("type")],
  ["'a' ~ 1 + 'b'", {}, "a1b"],
  ["'a' + 1 ~ 'b'", {}, "a1b"],
  ["2 * 3 ~ 4", {}, "64"],
  ["1 ~ 2 * 3", {}, "16"],
  ["1 ~ 2 ** 3", {}, "18"],
  ["-1 ~ 2", {}, "-12"],
  ["1 ~ 2 == '12'", {}, true],
  // adjacent string literals concatenate
  ['"a" "b"', {}, "ab"],
  ["'a' \"b\" 'c' | upper", {}, "ABC"],
  ["'a' 'b'.upper()", {}, "AB"],
  ["'a'\n'b' ~ 'c'", {}, "abc"],
  ["'a' ~ none ~ true", {}, "aNoneTrue"],
  ["true + 1", {}, 2],
  ["'a' + 1", {}, error("type")],
  ["1 + 'a'", {}, error("type")],
  ["[1] + 1", {}, error("type")],
  ["1 / 0", {}, error("value")],
  ["1 // 0", {}, error("value")],
  ["1 % 0", {}, error("value")],
  ["-'a'", {}, error("type")],
  ["'%s-%d' % ('a', 2)", {}, "a-2"],
  ["'%s%%' % 5", {}, "5%"],
  // comparisons
  ["1 == 1.0", {}, true],
  ["True == 1", {}, true],
  ["1 != 2", {}, true],
  ["'a' < 'b'", {}, true],
  ["[1, 2] < [1, 3]", {}, true],
  ["1 < x < 5", V, true],
  ["1 < x < 2", V, false],
  ["3 >= 3 > 2", {}, true],
  ["[1, 2] == [1, 2]", {}, true],
  ["{'a': 1} == {'a': 1}", {}, true],
  ["'1' == 1", {}, false],
  ["'a' < 1", {}, error("type")],
  ["none < 1", {}, error("type")],
  // membership
  ["2 in [1, 2]", {}, true],
  ["'ell' in s", V, true],
  ["'a' in d", V, true],
  ["'z' not in d", V, true],
  ["3 not in xs", V, false],
  ["1 in 'abc'", {}, error("type")],
  ["1 in 5", {}, error("type")],
  ["'Already up to date' not in result.stdout", V, false],
  ["result.rc not in [0, 2]", V, true],
  // logic, both spellings
  ["t and f", V, false],
  ["t or f", V, true],
  ["not t", V, false],
  ["t && f", V, false],
  ["t || f", V, true],
  ["!t", V, false],
  ["!f && t", V, true],
  ["0 or 'x'", {}, "x"],
  ["1 and 'x'", {}, "x"],
  ["[] or 'empty'", {}, "empty"],
  ["f and missing", V, false],
  ["t or missing", V, true],
  ["not x == 3", V, false],
  ['os == "linux" && arch == "arm64"', V, true],
  ["os == 'darwin' || arch != 'amd64'", V, true],
  ["t and missing", V, error("undefined")],
  // conditional expression
  ["'yes' if t else 'no'", V, "yes"],
  ["'yes' if f else 'no'", V, "no"],
  // no else: Jinja's plain Undefined, '' to everything but `default` and `is defined`
  ["'yes' if f", V, ""],
  ["('yes' if f) | default('d')", V, "d"],
  ["('yes' if f) is defined", V, false],
  ["not ('yes' if f)", V, true],
  ["('yes' if f) ~ '!'", V, "!"],
  ["('yes' if f) | length", V, 0],
  ["('yes' if f).x", V, error("undefined")],
  ["('yes' if f) | mandatory", V, error("undefined")],
  ["('yes' if sec) | default('d')", { sec: secret(false, "s") }, secret("", "s")],
  ["1 if f else 2 if t else 3", V, 2],
  // truthiness through `not`
  ["not []", {}, true],
  ["not {}", {}, true],
  ["not ''", {}, true],
  ["not 0", {}, true],
  ["not 0.0", {}, true],
  ["not none", {}, true],
  ["not '0'", {}, false],
  ["not [0]", {}, false],
  // member, index, slice
  ["d.a", V, 1],
  ["d['b']", V, "two"],
  ["d.c[1]", V, 2],
  ["d.c.0", V, 1],
  ["xs[-1]", V, 2],
  ["xs[0]", V, 3],
  ["s[0]", V, "H"],
  ["s[-5:]", V, "World"],
  ["xs[1:]", V, [1, 2]],
  ["xs[:2]", V, [3, 1]],
  ["xs[::-1]", V, [2, 1, 3]],
  ["xs[::2]", V, [3, 2]],
  ["users[1].name", V, "bob"],
  ["ansible_facts['os_family']", V, "Debian"],
  ["xs[10]", V, error("undefined")],
  ["d.zz", V, error("undefined")],
  ["d['zz']", V, error("undefined")],
  ["n.a", V, error("undefined")],
  ["xs['a']", V, error("undefined")],
  ["xs[1.5]", V, error("type")],
  ["missing", {}, error("undefined")],
  ["missing.a.b", {}, error("undefined")],
  ["x.rc != 0", V, error("undefined")],
  // tests
  ["x is defined", V, true],
  ["missing is defined", {}, false],
  ["missing is not defined", {}, true],
  ["missing is undefined", {}, true],
  ["missing.a is defined", {}, false],
  ["d.zz is defined", V, false],
  ["ansible_facts is defined and result.rc != 0", V, true],
  ["n is none", V, true],
  ["x is not none", V, true],
  ["x is number", V, true],
  ["1.5 is number", {}, true],
  ["'1' is number", {}, false],
  ["s is string", V, true],
  ["d is mapping", V, true],
  ["xs is mapping", V, false],
  ["xs is iterable", V, true],
  ["x is iterable", V, false],
  ["xs is sequence", V, true],
  ["t is boolean", V, true],
  ["1 is boolean", {}, false],
  ["x is integer", V, true],
  ["1.5 is integer", {}, false],
  ["1.5 is float", {}, true],
  ["t is true", V, true],
  ["1 is true", {}, false],
  ["f is false", V, true],
  ["4 is even", {}, true],
  ["3 is odd", {}, true],
  ["9 is divisibleby(3)", {}, true],
  ["9 is divisibleby 4", {}, false],
  ["2 is in([1, 2])", {}, true],
  ["2 is in xs", V, true],
  ["s is match('Hel')", V, true],
  ["s is match('World')", V, false],
  ["s is search('World')", V, true],
  ["s is regex('w', ignorecase=true)", V, error("syntax")],
  ["s is startswith('Hell')", V, true],
  ["s is endswith('ld')", V, true],
  ["x is eq 3", V, true],
  ["x is equalto(4)", V, false],
  ["x is gt(2)", V, true],
  ["x is lt 2", V, false],
  ["'abc' is lower", {}, true],
  ["'' is falsy", {}, true],
  ["[1, 2] is subset([1, 2, 3])", {}, true],
  ["xs is contains(2)", V, true],
  ["x is sameas 3", V, true],
  ["x is frobbed", V, error("unknown-test")],
  ["missing is none", {}, error("undefined")],
  ["x is even and missing is not defined", V, false],
  // filters
  ["missing | default('d')", {}, "d"],
  ["missing | d('d')", {}, "d"],
  ["x | default(5)", V, 3],
  ["'' | default('d')", {}, ""],
  ["'' | default('d', true)", {}, "d"],
  ["none | default('d', true)", {}, "d"],
  ["n | default('d')", V, null],
  ["missing.a.b | default(1)", {}, 1],
  ["d.zz | default('no')", V, "no"],
  ["missing | default", {}, ""],
  ["xs | length", V, 3],
  ["s | length", V, 11],
  ["d | count", V, 3],
  ["x | length", V, error("type")],
  ["names | join(', ')", V, "bob, Alice, carol"],
  ["xs | join", V, "312"],
  ["users | join(',', attribute='name')", V, "ann,bob,cid"],
  ["s | upper", V, "HELLO WORLD"],
  ["s | lower", V, "hello world"],
  ["'hello wORLD' | title", {}, "Hello World"],
  ["'hELLO' | capitalize", {}, "Hello"],
  ["s | replace('World', 'There')", V, "Hello There"],
  ["'aaa' | replace('a', 'b', 2)", {}, "bba"],
  ["'  pad  ' | trim", {}, "pad"],
  ["'xxhixx' | trim('x')", {}, "hi"],
  ["'42' | int", {}, 42],
  ["'3.9' | int", {}, 3],
  ["'abc' | int", {}, 0],
  ["'abc' | int(7)", {}, 7],
  ["'0x1A' | int(base=16)", {}, 26],
  ["'0x1f' | int(base=16)", {}, 31],
  ["' -0X1F ' | int(base=16)", {}, -31],
  ["'1f' | int(base=16)", {}, 31],
  ["'0b101' | int(base=2)", {}, 5],
  ["'101' | int(base=2)", {}, 5],
  ["'0o17' | int(base=8)", {}, 15],
  ["'0b1' | int(base=16)", {}, 177],
  ["'z' | int(base=36)", {}, 35],
  ["'0x1f' | int(base=0)", {}, 31],
  ["'0b11' | int(base=0)", {}, 3],
  ["'017' | int(base=0)", {}, 17],
  ["'1_000' | int", {}, 1000],
  ["'1_000.5' | int", {}, 1000],
  ["'1__0' | int", {}, 0],
  ["'0x1f' | int", {}, 0],
  ["'0x1f' | int(base=2)", {}, 0],
  ["'102' | int(base=2)", {}, 102],
  ["'12a' | int(base=2)", {}, 0],
  ["'zz' | int(7, base=2)", {}, 7],
  ["'1.5' | int(base=2)", {}, 1],
  ["'12' | int(base=37)", {}, 12],
  ["5 | int(base=2)", {}, 5],
  ["'inf' | int(4)", {}, 4],
  ["3.7 | int", {}, 3],
  ["true | int", {}, 1],
  ["'1.5' | float", {}, 1.5],
  ["'x' | float", {}, 0],
  ["x | string", V, "3"],
  ["none | string", {}, "None"],
  ["[1, 'a'] | string", {}, "[1, 'a']"],
  ["'yes' | bool", {}, true],
  ["'True' | bool", {}, true],
  ["'off' | bool", {}, false],
  ["0 | bool", {}, false],
  ["'ab' | list", {}, ["a", "b"]],
  ["d | list", V, ["a", "b", "c"]],
  ["xs | first", V, 3],
  ["xs | last", V, 2],
  ["'abc' | first", {}, "a"],
  ["empty | first | default('none')", V, "none"],
  ["empty | first", V, error("undefined")],
  ["xs | min", V, 1],
  ["xs | max", V, 3],
  ["users | max(attribute='age') | attr_name", V, error("unknown-filter")],
  ["(users | max(attribute='age')).name", V, "cid"],
  ["xs | sum", V, 6],
  ["users | sum(attribute='age')", V, 90],
  ["[[1], [2]] | sum(start=[])", {}, [1, 2]],
  ["[1, 2, 1, '1'] | unique", {}, [1, 2, "1"]],
  ["xs | sort", V, [1, 2, 3]],
  ["xs | sort(reverse=true)", V, [3, 2, 1]],
  ["names | sort", V, ["Alice", "bob", "carol"]],
  ["names | sort(case_sensitive=true)", V, ["Alice", "bob", "carol"]],
  ["['b', 'A', 'a'] | sort(case_sensitive=true)", {}, ["A", "a", "b"]],
  ["users | sort(attribute='age') | map(attribute='name') | list", V, ["bob", "ann", "cid"]],
  ["xs | reverse", V, [2, 1, 3]],
  ["'abc' | reverse", {}, "cba"],
  ["users | map(attribute='name') | list", V, ["ann", "bob", "cid"]],
  ["users | map(attribute='shell', default='sh') | list", V, ["sh", "sh", "zsh"]],
  ["users | map(attribute='shell') | list", V, error("undefined")],
  ["names | map('upper') | list", V, ["BOB", "ALICE", "CAROL"]],
  ["names | map('replace', 'o', '0') | list", V, ["b0b", "Alice", "car0l"]],
  ["[1, 2, 3, 4] | select('even') | list", {}, [2, 4]],
  ["[1, 2, 3, 4] | reject('even') | list", {}, [1, 3]],
  ["[0, 1, '', 'a'] | select | list", {}, [1, "a"]],
  ["[1, 2, 3] | select('equalto', 2) | list", {}, [2]],
  ["[1, 5, 9] | select('gt', 4) | list", {}, [5, 9]],
  ["users | selectattr('admin') | map(attribute='name') | list", V, ["ann", "cid"]],
  ["users | rejectattr('admin') | map(attribute='name') | list", V, ["bob"]],
  ["users | selectattr('shell', 'defined') | map(attribute='name') | list", V, ["cid"]],
  [
    "users | selectattr('name', 'equalto', 'bob') | first",
    V,
    { name: "bob", admin: false, age: 25 },
  ],
  ["users | selectattr('age', '>', 28) | list | length", V, 2],
  ["{'a': 1} | dict2items", {}, [{ key: "a", value: 1 }]],
  ["{'a': 1} | dict2items(key_name='k', value_name='v')", {}, [{ k: "a", v: 1 }]],
  ["[{'key': 'a', 'value': 1}] | items2dict", {}, { a: 1 }],
  ["{'a': [1, 'x'], 'b': none} | to_json", {}, '{"a": [1, "x"], "b": null}'],
  ["{'b': 1, 'a': [1]} | to_nice_json", {}, '{\n    "a": [\n        1\n    ],\n    "b": 1\n}'],
  ["{'a': 1} | to_nice_json(indent=2)", {}, '{\n  "a": 1\n}'],
  ["'{\"a\": [1, 2]}' | from_json", {}, { a: [1, 2] }],
  ["'{bad' | from_json", {}, error("value")],
  ["{'a': 1, 'b': ['x']} | to_yaml", {}, "a: 1\nb:\n  - x\n"],
  ["'a: 1\\nb: [x, y]' | from_yaml", {}, { a: 1, b: ["x", "y"] }],
  ["path | basename", V, "nginx.conf"],
  ["path | dirname", V, "/etc/nginx"],
  ["'/' | dirname", {}, "/"],
  ["'file' | dirname", {}, ""],
  ["home | expanduser", V, "~/projects"],
  ["'abc123' | regex_replace('\\\\d', 'X')", {}, "abcXXX"],
  ["'abc123' | regex_replace('\\\\d+')", {}, "abc"],
  ["'k=v' | regex_replace('(\\\\w)=(\\\\w)', '\\\\2=\\\\1')", {}, "v=k"],
  ["'k=v' | regex_replace('(?P<a>\\\\w)=', '\\\\g<a>:')", {}, "k:v"],
  ["'ABC' | regex_replace('b', '-', ignorecase=true)", {}, "A-C"],
  ["'v1.22.3' | regex_search('\\\\d+\\\\.\\\\d+')", {}, "1.22"],
  ["'v1.22' | regex_search('(\\\\d+)\\\\.(\\\\d+)', '\\\\2')", {}, ["22"]],
  ["'none' | regex_search('\\\\d')", {}, null],
  ["'a(' | regex_search('(')", {}, error("value")],
  ["'a,b,,c' | split(',')", {}, ["a", "b", "", "c"]],
  ["' a  b ' | split", {}, ["a", "b"]],
  ["'hello' | b64encode", {}, "aGVsbG8="],
  ["'aGVsbG8=' | b64decode", {}, "hello"],
  [
    "'hello' | hash('sha256')",
    {},
    "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
  ],
  ["'hello' | hash('sha1')", {}, "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"],
  ["'hello' | hash('md5')", {}, "5d41402abc4b2a76b9719d911017c592"],
  ["'hello' | hash('crc')", {}, error("value")],
  ['"it\'s" | quote', {}, "'it'\"'\"'s'"],
  ["'safe/path-1.txt' | quote", {}, "safe/path-1.txt"],
  ["'' | quote", {}, "''"],
  ["'a b' | quote", {}, "'a b'"],
  ["-3 | abs", {}, 3],
  ["2.5 | round", {}, 3],
  ["3.14159 | round(2)", {}, 3.14],
  ["3.1 | round(method='ceil')", {}, 4],
  ["{'a': 1, 'b': {'x': 1}} | combine({'b': {'y': 2}})", {}, { a: 1, b: { y: 2 } }],
  [
    "{'a': 1, 'b': {'x': 1}} | combine({'b': {'y': 2}}, recursive=true)",
    {},
    { a: 1, b: { x: 1, y: 2 } },
  ],
  ["{'a': 1} | combine({'b': 2}, {'c': 3})", {}, { a: 1, b: 2, c: 3 }],
  ["d | keys", V, ["a", "b", "c"]],
  ["{'a': 1} | values", {}, [1]],
  ["{'a': 1} | items", {}, [["a", 1]]],
  ["'one two  three' | wordcount", {}, 3],
  ["[[1, [2]], 3] | flatten", {}, [1, 2, 3]],
  ["[1, 2] | union([2, 3])", {}, [1, 2, 3]],
  ["[1, 2] | difference([2])", {}, [1]],
  ["t | ternary('on', 'off')", V, "on"],
  ["x | frobnicate", V, error("unknown-filter")],
  ["x | upper", V, "3"],
  ["x | default(missing)", V, 3],
  ["missing | upper", {}, error("undefined")],
  ["[1, 2] | join(1)", {}, error("type")],
  ["xs | sort(bogus=1)", V, error("type")],
  ["'x' | ansible.builtin.upper", {}, "X"],
  // method calls
  ["s.startswith('He')", V, true],
  ["s.startswith(('x', 'H'))", V, true],
  ["s.endswith('x')", V, false],
  ["'a,b'.split(',')", {}, ["a", "b"]],
  ["'a b'.split()", {}, ["a", "b"]],
  ["'  x '.strip()", {}, "x"],
  ["s.lower()", V, "hello world"],
  ["s.upper()", V, "HELLO WORLD"],
  ["s.replace('l', 'L')", V, "HeLLo WorLd"],
  ["', '.join(names)", V, "bob, Alice, carol"],
  ["'{}-{}'.format(1, 'a')", {}, "1-a"],
  ["d.get('a')", V, 1],
  ["d.get('zz')", V, null],
  ["d.get('zz', 5)", V, 5],
  ["d.keys() | list", V, ["a", "b", "c"]],
  ["d.values() | length", V, 3],
  ["d.items() | first", V, ["a", 1]],
  ["xs.index(1)", V, 1],
  ["s.frob()", V, error("unknown-function")],
  ["xs.startswith('a')", V, error("undefined")],
  ["d.a()", V, error("type")],
  ["missing.get('a')", {}, error("undefined")],
  // mooncake functions
  ["has(d, 'a')", V, true],
  ["has(d, 'zz')", V, false],
  ["has(missing, 'a')", {}, false],
  ["starts_with(s, 'Hell')", V, true],
  ["ends_with(s, 'World')", V, true],
  ["lower('AB')", {}, "ab"],
  ["upper('ab')", {}, "AB"],
  ["trim('  a ')", {}, "a"],
  ["split('a,b', ',')", {}, ["a", "b"]],
  ["join(['a', 'b'], '-')", {}, "a-b"],
  ["replace('aXbX', 'X', '-')", {}, "a-b-"],
  ["regex_match('v1.2', '^v\\\\d')", {}, true],
  ["regex_match('x', '\\\\d')", {}, false],
  ["min(3, 1, 2)", {}, 1],
  ["max(xs)", V, 3],
  ["abs(-2)", {}, 2],
  ["floor(2.7)", {}, 2],
  ["ceil(2.1)", {}, 3],
  ["round(2.5)", {}, 3],
  ["round(1.234, 1)", {}, 1.2],
  ["pow(2, 3)", {}, 8],
  ["sqrt(16)", {}, 4],
  ["sqrt(-1)", {}, error("value")],
  ["len(xs)", V, 3],
  ["len('héllo')", {}, 5],
  ["len(d)", V, 3],
  ["len(5)", {}, error("type")],
  ["includes(xs, 2)", V, true],
  ["includes('abc', 'z')", {}, false],
  ["empty([])", {}, true],
  ["empty('a')", {}, false],
  ["empty(none)", {}, true],
  ["first(xs)", V, 3],
  ["last(xs)", V, 2],
  ["is_string(s)", V, true],
  ["is_number(x)", V, true],
  ["is_bool(t)", V, true],
  ["is_array(xs)", V, true],
  ["is_map(d)", V, true],
  ["is_map(xs)", V, false],
  ["is_defined(missing)", {}, false],
  ["is_defined(x)", V, true],
  ["!is_defined(missing) || missing > 1", {}, true],
  ["default(missing, 'd')", {}, "d"],
  ["default(x, 'd')", V, 3],
  ["default(missing.a, 1)", {}, 1],
  ["coalesce(missing, n, 'c')", V, "c"],
  ["ternary(x > 1, 'big', 'small')", V, "big"],
  ["ternary(x > 1, 'big')", V, error("type")],
  ["ternary()", {}, error("type")],
  ["env('HOME')", {}, ""],
  ["has_env('HOME')", {}, false],
  ["range(3)", {}, [0, 1, 2]],
  ["range(1, 7, 2) | list", {}, [1, 3, 5]],
  ["range(5, 0, -2)", {}, [5, 3, 1]],
  ["nosuch(1)", {}, error("unknown-function")],
  ["lookup('env', 'HOME')", {}, error("unknown-function")],
  ["len(missing)", {}, error("undefined")],
  ["starts_with(1, 'a')", {}, error("type")],
  ["len(1, 2)", {}, error("type")],
  ["x(1)", V, error("unknown-function")],
  ["(x)(1)", V, error("unknown-function")],
  ["[x][0](1)", V, error("type")],
  ["'ABC' | regex_search('b', ignorecase=true)", {}, "B"],
  // printf formatting: `%` and the `format` filter (Python semantics)
  ["'%-5s|' % 'ab'", {}, "ab   |"],
  ["'%5s|' % 'ab'", {}, "   ab|"],
  ["'%05d' % 42", {}, "00042"],
  ["'%05d' % -42", {}, "-0042"],
  ["'%d' % 3.9", {}, "3"],
  ["'%d' % -3.9", {}, "-3"],
  ["'%i' % true", {}, "1"],
  ["'%.2f' % 3.14159", {}, "3.14"],
  ["'%05.2f' % 3.14159", {}, "03.14"],
  ["'%-8.3f|' % 2.5", {}, "2.500   |"],
  ["'%f' % 1", {}, "1.000000"],
  ["'%.0f %.0f %.1f %.1f %.2f' % (2.5, 3.5, 0.25, 0.35, 1.005)", {}, "2 4 0.2 0.3 1.00"],
  ["'%.0e %.0e %.1e' % (2.5, 3.5, 1.25)", {}, "2e+00 4e+00 1.2e+00"],
  ["'%f' % 1e22", {}, "10000000000000000000000.000000"],
  ["'%x %X %o' % (255, 255, 8)", {}, "ff FF 10"],
  ["'%#x %#o %#X' % (255, 8, 255)", {}, "0xff 0o10 0XFF"],
  ["'%x' % -255", {}, "-ff"],
  ["'%x' % 1.5", {}, error("type")],
  ["'%e' % 12345.678", {}, "1.234568e+04"],
  ["'%.2E' % 0.000123", {}, "1.23E-04"],
  ["'%g %g %g %g' % (0.0001, 1234567, 100000, 0.00001)", {}, "0.0001 1.23457e+06 100000 1e-05"],
  ["'%+d % d %+.1f' % (5, 5, -0.25)", {}, "+5  5 -0.2"],
  ["'%.3d' % 7", {}, "007"],
  ["'%05s' % 'ab'", {}, "   ab"],
  ["'%.2s' % 'abc'", {}, "ab"],
  ["'%*d|%-*d|' % (4, 1, 3, 2)", {}, "   1|2  |"],
  ["'%c%c' % (65, 'b')", {}, "Ab"],
  ["'100%%' % ()", {}, "100%"],
  ["'%r %s' % ('a', 'a')", {}, "'a' a"],
  ["'%s' % none", {}, "None"],
  ["'%s' % {'a': 1}", {}, "{'a': 1}"],
  ["'%s-%s' % ('a', 'b')", {}, "a-b"],
  ["'%s-%s' % ['a', 'b']", {}, "a-b"],
  ["'%(name)s is %(age)03d' % {'name': 'bob', 'age': 7}", {}, "bob is 007"],
  ["'%(a)s' % d", V, "1"],
  ["'%(zz)s' % d", V, error("value")],
  ["'%(a)s' % 1", {}, error("type")],
  ["'%f' % inf", { inf: Number.POSITIVE_INFINITY }, "inf"],
  ["'%d' % inf", { inf: Number.POSITIVE_INFINITY }, error("value")],
  ["'%s %s' % ('a',)", {}, error("type")],
  // No tuple type: a list is the argument tuple only when the format takes more than
  // one argument, so a 2-tuple under one `%s` prints as a list (Python: a type error).
  ["'%s' % ('a', 'b')", {}, "['a', 'b']"],
  ["'%s' % [1, 2]", {}, "[1, 2]"],
  ["'%s' % []", {}, "[]"],
  ["'%d' % [1]", {}, error("type")],
  ["'a' % [1]", {}, "a"],
  ["'%s-%s' % [1, 2]", {}, "1-2"],
  ["'%*d' % [3, 1]", {}, "  1"],
  ["'%s %s' % [1, 2, 3]", {}, error("type")],
  ["'%d' % 'a'", {}, error("type")],
  ["'100%' % ()", {}, error("value")],
  ["'%q' % 1", {}, error("value")],
  ["'%.500f' % 1", {}, error("value")],
  ["'%s-%05.1f' | format('a', 2.25)", {}, "a-002.2"],
  ["'%(n)s=%(v)d' | format(n='x', v=3)", {}, "x=3"],
  ["'%(a)s' | format(d)", V, "1"],
  ["'%s %(a)s' | format('x', a=1)", {}, error("type")],
  // Ansible result tests
  ["r is failed", { r: { failed: true, rc: 1 } }, true],
  ["r is failure", { r: { failed: false } }, false],
  ["r is failed", { r: { rc: 1 } }, false],
  ["r is succeeded", { r: { rc: 0, changed: false } }, true],
  ["r is success", { r: { failed: true } }, false],
  ["r is not failed", { r: {} }, true],
  ["r is changed", { r: { changed: true } }, true],
  ["r is change", { r: { changed: 0 } }, false],
  ["r is changed", { r: {} }, false],
  ["r is skipped", { r: { skipped: true, changed: false } }, true],
  ["r is skip", { r: {} }, false],
  ["r is finished", { r: {} }, true],
  ["r is finished", { r: { finished: 0 } }, false],
  ["results | select('failed') | list | length", { results: [{ failed: true }, {}] }, 1],
  ["'x' is failed", {}, error("type")],
  ["[1] is changed", {}, error("type")],
  ["none is skipped", {}, error("type")],
  ["missing is failed", {}, error("undefined")],
  ["x is chnged", V, error("unknown-test")],
  // dictsort, flatten, zip, product
  [
    "{'b': 1, 'A': 2, 'c': 0} | dictsort",
    {},
    [
      ["A", 2],
      ["b", 1],
      ["c", 0],
    ],
  ],
  [
    "{'b': 1, 'a': 2, 'B': 0} | dictsort",
    {},
    [
      ["a", 2],
      ["b", 1],
      ["B", 0],
    ],
  ],
  [
    "{'b': 1, 'a': 2, 'B': 0} | dictsort(true)",
    {},
    [
      ["B", 0],
      ["a", 2],
      ["b", 1],
    ],
  ],
  [
    "{'b': 1, 'a': 2, 'c': 0} | dictsort(by='value')",
    {},
    [
      ["c", 0],
      ["b", 1],
      ["a", 2],
    ],
  ],
  [
    "{'b': 1, 'a': 2} | dictsort(reverse=true)",
    {},
    [
      ["b", 1],
      ["a", 2],
    ],
  ],
  [
    "{'x': 'B', 'y': 'a'} | dictsort(false, 'value')",
    {},
    [
      ["y", "a"],
      ["x", "B"],
    ],
  ],
  ["{} | dictsort", {}, []],
  ["{'a': 1} | dictsort(by='size')", {}, error("value")],
  ["{'a': 1, 'b': 'x'} | dictsort(by='value')", {}, error("type")],
  ["[1] | dictsort", {}, error("type")],
  ["[1, [2, [3, [4]]]] | flatten", {}, [1, 2, 3, 4]],
  ["[1, [2, [3, [4]]]] | flatten(1)", {}, [1, 2, [3, [4]]]],
  ["[1, [2, [3, [4]]]] | flatten(levels=2)", {}, [1, 2, 3, [4]]],
  ["[1, [2]] | flatten(0)", {}, [1, [2]]],
  ["[1, none, [none, 2], 'None', 'null'] | flatten", {}, [1, 2]],
  ["[1, none, [2]] | flatten(skip_nulls=false)", {}, [1, null, 2]],
  ["['ab', ['cd']] | flatten", {}, ["ab", "cd"]],
  ["'ab' | flatten", {}, error("type")],
  [
    "[1, 2, 3] | zip(['a', 'b'])",
    {},
    [
      [1, "a"],
      [2, "b"],
    ],
  ],
  [
    "[1, 2] | zip(['a', 'b'], 'xy')",
    {},
    [
      [1, "a", "x"],
      [2, "b", "y"],
    ],
  ],
  [
    "[1, 2] | zip_longest(['a'], fillvalue=0)",
    {},
    [
      [1, "a"],
      [2, 0],
    ],
  ],
  [
    "[1, 2] | product(['a', 'b'])",
    {},
    [
      [1, "a"],
      [1, "b"],
      [2, "a"],
      [2, "b"],
    ],
  ],
  ["[0, 1] | product(repeat=2) | length", {}, 4],
  ["[1] | product([])", {}, []],
  ["range(1000) | product(range(1000), range(1000))", {}, error("limit")],
  // mooncake default() without a fallback
  ["default(missing)", {}, null],
  ["default(n)", V, null],
  ["default()", {}, null],
  // methods no type has are unknown names, with a hint
  ["s.startwith('H')", V, error("unknown-function")],
  // syntax errors
  ["1 +", {}, error("syntax")],
  ["(1", {}, error("syntax")],
  ["[1, 2", {}, error("syntax")],
  ["'unterminated", {}, error("syntax")],
  ["1 2", {}, error("syntax")],
  ["a.", {}, error("syntax")],
  ["", {}, error("syntax")],
  ["x | ", V, error("syntax")],
  ["@", {}, error("syntax")],
  ["x is", V, error("syntax")],
  ["and", {}, error("syntax")],
  ["f(a=1, 2)", {}, error("syntax")],
];

describe("expression conformance", () => {
  test.each(rows)("%s", (src, vars, expected) => {
    const r = evalExpression(src, vars, { env: {} });
    if (expected !== null && typeof expected === "object" && "error" in expected) {
      expect(r.ok ? r.value : r.error.code).toBe((expected as { error: string }).error);
    } else {
      expect(r.ok ? r.value : r.error).toEqual(expected);
    }
  });
});

describe("options", () => {
  test("env(), has_env() and expanduser read the environment map", () => {
    const env = { HOME: "/home/u", EDITOR: "vi" };
    expect(evalExpression("env('EDITOR')", {}, { env })).toEqual({ ok: true, value: "vi" });
    expect(evalExpression("env('NOPE', 'x')", {}, { env })).toEqual({ ok: true, value: "x" });
    expect(evalExpression("has_env('HOME')", {}, { env })).toEqual({ ok: true, value: true });
    expect(evalExpression("'~/a' | expanduser", {}, { env })).toEqual({
      ok: true,
      value: "/home/u/a",
    });
    expect(evalExpression("'~' | expanduser", {}, { env })).toEqual({ ok: true, value: "/home/u" });
    expect(evalExpression("'~bob/a' | expanduser", {}, { env })).toEqual({
      ok: true,
      value: "~bob/a",
    });
  });
});

type TRow = [string, string, Scope, string | { error: string }];

const T: Scope = {
  features: ["a", "b"],
  debug: true,
  n: 0,
  name: "web",
  d: { x: 1, y: 2 },
  users: [
    { name: "ann", on: true },
    { name: "bob", on: false },
  ],
};

const templates: TRow[] = [
  ["plain text", "no tags", {}, "no tags"],
  ["output", "Hi {{ name }}!", T, "Hi web!"],
  ["no spaces", "{{name}}-{{n}}", T, "web-0"],
  ["none renders as None", "{{ none }}", {}, "None"],
  ["booleans render Python-style", "{{ true }}/{{ false }}", {}, "True/False"],
  ["lists render as repr", "{{ features }}", T, "['a', 'b']"],
  ["dicts render as repr", "{{ {'a': 1, 'b': none} }}", {}, "{'a': 1, 'b': None}"],
  ["nested quotes in repr", `{{ ["it's"] }}`, {}, `["it's"]`],
  ["floats", "{{ 1 / 4 }}", {}, "0.25"],
  // Jinja prints "2.0" and "1.0": JavaScript numbers do not tell floats from ints.
  ["integral floats print as ints", "{{ 4 / 2 }}|{{ 1.0 }}", {}, "2|1"],
  ["inline if without else prints ''", "[{{ 'x' if false }}]", {}, "[]"],
  [
    "set keeps the inline if's undefined",
    "{% set v = 'x' if false %}[{{ v }}]{{ v | default('z') }}",
    {},
    "[]z",
  ],
  ["inline if without else in an if", "{% if 'x' if n %}y{% else %}n{% endif %}", T, "n"],
  ["if true", "{% if debug %}on{% endif %}", T, "on"],
  ["if false", "{% if n %}on{% endif %}", T, ""],
  ["if/else", "{% if n %}a{% else %}b{% endif %}", T, "b"],
  ["if/elif/else", "{% if n > 1 %}a{% elif n == 0 %}z{% else %}b{% endif %}", T, "z"],
  ["elif chain falls through", "{% if n %}a{% elif not debug %}b{% else %}c{% endif %}", T, "c"],
  ["guarded undefined", "{% if x is defined %}{{ x }}{% endif %}", {}, ""],
  ["guarded defined", "{% if x is defined %}{{ x }}{% endif %}", { x: 5 }, "5"],
  ["for", "{% for f in features %}[{{ f }}]{% endfor %}", T, "[a][b]"],
  [
    "loop variables",
    "{% for f in features %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }};{% endfor %}",
    T,
    "10TrueFalse2;21FalseTrue2;",
  ],
  ["revindex", "{% for f in features %}{{ loop.revindex }}{% endfor %}", T, "21"],
  ["for else", "{% for f in [] %}x{% else %}empty{% endfor %}", {}, "empty"],
  ["for with filter", "{% for u in users if u.on %}{{ u.name }}{% endfor %}", T, "ann"],
  ["for over dict items", "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", T, "x=1;y=2;"],
  ["for over dict keys", "{% for k in d %}{{ k }}{% endfor %}", T, "xy"],
  ["for with tuple target", "{% for (a, b) in [[1, 2]] %}{{ a + b }}{% endfor %}", {}, "3"],
  [
    "nested loops",
    "{% for a in [1, 2] %}{% for b in 'xy' %}{{ a }}{{ b }} {% endfor %}{% endfor %}",
    {},
    "1x 1y 2x 2y ",
  ],
  ["set", "{% set g = 'hi' ~ name %}{{ g }}", T, "hiweb"],
  [
    "set in loop does not leak",
    "{% set c = 0 %}{% for f in features %}{% set c = c + 1 %}{% endfor %}{{ c }}",
    T,
    "0",
  ],
  ["set unpack", "{% set a, b = [1, 2] %}{{ b }}{{ a }}", {}, "21"],
  ["set block", "{% set body %}x{{ n }}{% endset %}[{{ body }}]", T, "[x0]"],
  ["raw", "{% raw %}{{ not rendered }}{% if %}{% endraw %}", {}, "{{ not rendered }}{% if %}"],
  ["comment", "a{# ignored {{ x }} #}b", {}, "ab"],
  ["whitespace control", "a  {{- name -}}  b", T, "awebb"],
  ["block whitespace control", "x\n  {%- if debug -%}\n  y\n{%- endif %}\nz", T, "xyz"],
  ["comment whitespace control", "a \n{#- c -#}\n b", {}, "ab"],
  [
    "trim_blocks drops the newline after a block tag",
    "{% if debug %}\nyes\n{% endif %}\ndone",
    T,
    "yes\ndone",
  ],
  ["trim_blocks after a comment", "{# c #}\nx", {}, "x"],
  ["no trim after an output tag", "{{ name }}\nx", T, "web\nx"],
  [
    "lstrip_blocks: indentation before a tag at the start goes",
    "  {% if debug %}x{% endif %}",
    T,
    "x",
  ],
  ["trailing newline kept", "{{ name }}\n", T, "web\n"],
  [
    "the features example (trim_blocks and lstrip_blocks)",
    "features:\n  {% for feature in features %}\n  - {{ feature }}\n  {% endfor %}\n",
    T,
    "features:\n  - a\n  - b\n",
  ],
  [
    "mooncake config template",
    "server:\n  {% if debug %}\n  debug: true\n  {% else %}\n  debug: false\n  {% endif %}\n",
    T,
    "server:\n  debug: true\n",
  ],
  // lstrip_blocks (expectations from Jinja2 3.1 with trim_blocks, lstrip_blocks, keep_trailing_newline)
  [
    "lstrip: indented if/elif/endif lines vanish",
    "a\n    {% if n %}\n    x\n    {% elif debug %}\n    y\n    {% endif %}\nb\n",
    T,
    "a\n    y\nb\n",
  ],
  [
    "lstrip: indented else line vanishes",
    "a\n  {% if n %}\n  x\n  {% else %}\n  y\n  {% endif %}\nb\n",
    T,
    "a\n  y\nb\n",
  ],
  [
    "lstrip: indented for/endfor lines vanish",
    "items:\n  {% for f in features %}\n  - {{ f }}\n  {% endfor %}\n",
    T,
    "items:\n  - a\n  - b\n",
  ],
  ["lstrip: tabs too", "\t{% for f in features %}\n\t{{ f }}\n\t{% endfor %}\n", T, "\ta\n\tb\n"],
  [
    "lstrip: nested blocks",
    "{% for f in features %}\n  {% if loop.first %}\n  first\n  {% endif %}\n  {{ f }}\n{% endfor %}\n",
    T,
    "  first\n  a\n  b\n",
  ],
  [
    "lstrip: {%+ keeps the indentation",
    "a\n  {%+ if debug %}\nx\n  {%+ endif %}\nb",
    T,
    "a\n  x\n  b",
  ],
  ["lstrip: {%- strips the line break too", "a\n  {%- if debug %}\nx\n  {%- endif %}\nb", T, "axb"],
  [
    "lstrip: +%} keeps the newline trim_blocks drops",
    "a\n  {% if debug +%}\nx\n  {% endif %}\n",
    T,
    "a\n\nx\n",
  ],
  ["lstrip: a comment on its own indented line", "a\n  {# note #}\nb\n", {}, "a\nb\n"],
  ["lstrip: comment with - on both sides", "a\n  {#- note -#}\n  b\n", {}, "ab\n"],
  ["lstrip: not for a tag in the middle of a line", "a  {% if debug %}x{% endif %}\n", T, "a  x"],
  [
    "lstrip: not after an output tag on the line",
    "{{ name }}  {% if debug %}x{% endif %}\n",
    T,
    "web  x",
  ],
  ["lstrip: not before an output tag", "a\n  {{ name }}\n", T, "a\n  web\n"],
  [
    "lstrip: a tag on the next line after an output tag",
    "{{ name }}\n  {% if debug %}x{% endif %}\n",
    T,
    "web\nx",
  ],
  [
    "lstrip: text after the tag keeps the line",
    "a {% if debug %}\n  b\n  {% endif %} c\n",
    T,
    "a   b\n c\n",
  ],
  ["lstrip: raw and endraw", "  {% raw %}\n  {{ x }}\n  {% endraw %}\ny", {}, "\n  {{ x }}\ny"],
  // Ansible's `#jinja2:` override header: sets the options, is not rendered
  [
    "header: trim_blocks off",
    "#jinja2: trim_blocks: False\n{% if debug %}\nx\n{% endif %}\n",
    T,
    "\nx\n\n",
  ],
  [
    "header: lstrip_blocks off (the old behaviour)",
    "#jinja2: lstrip_blocks: False\n  {% if debug %}\n  x\n  {% endif %}\n",
    T,
    "    x\n  ",
  ],
  [
    "header: both off, compact spelling",
    "#jinja2:trim_blocks:False,lstrip_blocks:False\n  {% if debug %}\n  x\n  {% endif %}\n",
    T,
    "  \n  x\n  \n",
  ],
  [
    "header: keep_trailing_newline off",
    "#jinja2: keep_trailing_newline: False\n{{ name }}\n",
    T,
    "web",
  ],
  [
    "header: keep_trailing_newline on",
    "#jinja2: keep_trailing_newline: True\n{{ name }}\n",
    T,
    "web\n",
  ],
  [
    "header: values are case-insensitive",
    "#jinja2: trim_blocks: false, lstrip_blocks: FALSE\n{% if debug %}\nx{% endif %}",
    T,
    "\nx",
  ],
  [
    "header: settings on defaults change nothing",
    "#jinja2: trim_blocks: True\nplain {{ name }}",
    T,
    "plain web",
  ],
  [
    "header: CRLF line end",
    "#jinja2: lstrip_blocks: False\r\n  {% if debug %}x{% endif %}",
    T,
    "  x",
  ],
  [
    "header: only on the first line",
    "x\n#jinja2: trim_blocks: False\n{{ name }}",
    T,
    "x\n#jinja2: trim_blocks: False\nweb",
  ],
  ["header: missing colon", "#jinja2: trim_blocks False\nx", {}, { error: "syntax" }],
  [
    "header: unsupported option",
    "#jinja2: variable_start_string: '[['\nx",
    {},
    { error: "syntax" },
  ],
  ["header: not a boolean", "#jinja2: trim_blocks: 1\nx", {}, { error: "syntax" }],
  ["dict literal inside output", "{{ {'a': {'b': 1}}.a.b }}", {}, "1"],
  ["filters in output", "{{ features | join(',') | upper }}", T, "A,B"],
  ["undefined is an error", "x={{ x }}", {}, { error: "undefined" }],
  ["unclosed if", "{% if x %}a", {}, { error: "syntax" }],
  ["unclosed output", "{{ x ", {}, { error: "syntax" }],
  ["empty output", "{{ }}", {}, { error: "syntax" }],
  ["stray endif", "a{% endif %}", {}, { error: "syntax" }],
  ["unknown tag", "{% include 'x' %}", {}, { error: "syntax" }],
  ["unclosed comment", "{# x", {}, { error: "syntax" }],
  ["missing endraw", "{% raw %}x", {}, { error: "syntax" }],
  ["for over a number", "{% for i in 3 %}{% endfor %}", {}, { error: "type" }],
  ["unpack mismatch", "{% for a, b in [[1]] %}{% endfor %}", {}, { error: "value" }],
];

describe("template conformance", () => {
  test.each(templates)("%s", (_name, src, vars, expected) => {
    const parsed = parseTemplate(src);
    const r = parsed.ok ? render(parsed.value, vars) : parsed;
    if (typeof expected === "object") {
      expect(r.ok ? r.value : r.error.code).toBe(expected.error);
    } else {
      expect(r.ok ? r.value : r.error).toEqual(expected);
    }
  });
});

describe("renderValue", () => {
  test("a single {{ expr }} gives the native value", () => {
    expect(renderValue("{{ features }}", T)).toEqual({ ok: true, value: ["a", "b"] });
    expect(renderValue("{{- n -}}", T)).toEqual({ ok: true, value: 0 });
    expect(renderValue("{{ d }}", T)).toEqual({ ok: true, value: { x: 1, y: 2 } });
  });
  test("text without template syntax comes back unchanged", () => {
    expect(renderValue("plain } { text", {})).toEqual({ ok: true, value: "plain } { text" });
  });
  test("only a string that is exactly one tag is native; every other character is kept", () => {
    expect(renderValue("{{ n }}\n", T)).toEqual({ ok: true, value: "0\n" });
    expect(renderValue(" {{ n }} ", T)).toEqual({ ok: true, value: " 0 " });
    expect(renderValue("  {{ n }}\n", T)).toEqual({ ok: true, value: "  0\n" });
    expect(renderValue("{{ features }}\n", T)).toEqual({ ok: true, value: "['a', 'b']\n" });
    expect(renderValue("{{- features -}}", T)).toEqual({ ok: true, value: ["a", "b"] });
    expect(renderValue("{{ {'a': 1} }}", T)).toEqual({ ok: true, value: { a: 1 } });
    expect(renderValue("  {{- n -}}  ", T)).toEqual({ ok: true, value: "0" });
    expect(renderValue("{{ n }}{# c #}", T)).toEqual({ ok: true, value: "0" });
    expect(renderValue("{# c #}{{ n }}", T)).toEqual({ ok: true, value: "0" });
    expect(renderValue("{{ n }}{% if false %}x{% endif %}", T)).toEqual({ ok: true, value: "0" });
    expect(renderValue("{{ none }}", T)).toEqual({ ok: true, value: null });
    expect(renderValue("{{ none }} ", T)).toEqual({ ok: true, value: "None " });
  });
  test("anything else renders to a string", () => {
    expect(renderValue("{{ n }}{{ n }}", T)).toEqual({ ok: true, value: "00" });
    expect(renderValue("n={{ n }}", T)).toEqual({ ok: true, value: "n=0" });
    expect(renderValue("{% if debug %}{{ features }}{% endif %}", T)).toEqual({
      ok: true,
      value: "['a', 'b']",
    });
  });
});

describe("whitespace options", () => {
  const MOONCAKE = [
    "server:",
    "  port: {{ port }}",
    "  {% if debug %}",
    "  debug: true",
    "  {% else %}",
    "  debug: false",
    "  {% endif %}",
    "features:",
    "  {% for feature in features %}",
    "  - {{ feature }}",
    "  {% endfor %}",
    "",
  ].join("\n");
  const vars = { port: 8080, debug: true, features: ["a", "b"] };
  const renderWith = (src: string, opts?: Parameters<typeof parseTemplate>[1]): unknown => {
    const parsed = parseTemplate(src, opts);
    const r = parsed.ok ? render(parsed.value, vars) : parsed;
    return r.ok ? r.value : r.error;
  };

  test("the mooncake config example renders to valid YAML", () => {
    const out = renderWith(MOONCAKE);
    expect(out).toBe("server:\n  port: 8080\n  debug: true\nfeatures:\n  - a\n  - b\n");
    expect(parseYaml(String(out))).toEqual({
      server: { port: 8080, debug: true },
      features: ["a", "b"],
    });
    expect(renderValue(MOONCAKE, { ...vars, debug: false })).toEqual({
      ok: true,
      value: "server:\n  port: 8080\n  debug: false\nfeatures:\n  - a\n  - b\n",
    });
  });

  test("options turn trim_blocks and lstrip_blocks off", () => {
    const src = "a\n  {% if debug %}\n  x\n  {% endif %}\nb";
    expect(renderWith(src)).toBe("a\n  x\nb");
    expect(renderWith(src, {})).toBe("a\n  x\nb");
    expect(renderWith(src, { lstripBlocks: false })).toBe("a\n    x\n  b");
    expect(renderWith(src, { trimBlocks: false })).toBe("a\n\n  x\n\nb");
    expect(renderWith(src, { trimBlocks: false, lstripBlocks: false })).toBe("a\n  \n  x\n  \nb");
    expect(renderWith("{{ port }}\n", { keepTrailingNewline: false })).toBe("8080");
  });

  test("the template's #jinja2: header wins over the options", () => {
    const src = "#jinja2: lstrip_blocks: True\n  {% if debug %}x{% endif %}";
    expect(renderWith(src, { lstripBlocks: false })).toBe("x");
    const off = "#jinja2: trim_blocks: False\n{% if debug %}\nx{% endif %}";
    expect(renderWith(off, { trimBlocks: true })).toBe("\nx");
  });

  test("the parse cache is keyed by the options", () => {
    const src = "  {% if debug %}x{% endif %}";
    const a = parseTemplate(src);
    const b = parseTemplate(src, { lstripBlocks: false });
    expect(a).not.toEqual(b);
    expect(parseTemplate(src)).toBe(a);
    expect(parseTemplate(src, { trimBlocks: true, lstripBlocks: true })).toBe(a);
    expect(parseTemplate(src, { lstripBlocks: false })).toBe(b);
    expect(renderWith(src)).toBe("x");
    expect(renderWith(src, { lstripBlocks: false })).toBe("  x");
  });

  test("header errors point into the header", () => {
    const r = parseTemplate("#jinja2: trim_blocks: False, foo: True\nx");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toContain("foo");
      expect(r.error.offset).toBe("#jinja2: trim_blocks: False,".length);
    }
  });

  test("errors after a header keep their offsets into the whole source", () => {
    const src = "#jinja2: trim_blocks: False\nok {{ x";
    const r = parseTemplate(src);
    expect(r.ok ? null : r.error.offset).toBe(src.indexOf("{{"));
  });
});
