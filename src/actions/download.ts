/**
 * `download`: fetches `url` (http or https) to the file `dest`. Changed only when the
 * downloaded bytes differ from what is there (or the mode does). When dest already
 * has the bytes `checksum` names, no request is made at all; without a checksum an
 * existing dest is fetched conditionally (If-Modified-Since its mtime), and a 304
 * leaves it be. `force: true` always fetches. The body is verified before dest is
 * touched, then written through the one atomic write path (writeContent). Check mode
 * makes no request: it cannot know what the server would send.
 */
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { ArgError, optBool, optDurationMs, optRecord, optString, reqString } from "./args.js";
import { writeContent } from "./content-action.js";
import { digestOf, matches, parseChecksum } from "./download-checksum.js";
import { fetchBody } from "./download-fetch.js";
import { wantedAttrs } from "./file-attrs-args.js";
import { failedWith, succeeded } from "./outcome.js";
import { resolvePath } from "./paths.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";
import { statOrNull } from "./write-file.js";

export const download: ActionHandler = {
  name: "download",
  runsProcess: false,
  check: (ctx) => runDownload(ctx, true),
  apply: (ctx) => runDownload(ctx, false),
};

const DEFAULT_TIMEOUT_MS = 30_000;

async function runDownload(ctx: ActionContext, dry: boolean): Promise<ActionOutcome> {
  const url = httpUrl(reqString(ctx.args, "url"));
  const want = parseChecksum(optString(ctx.args, "checksum"));
  const headers = stringHeaders(optRecord(ctx.args, "headers") ?? {});
  const timeoutMs = optDurationMs(ctx.args, "timeout") ?? DEFAULT_TIMEOUT_MS;
  const force = optBool(ctx.args, "force", false);
  const attrs = await wantedAttrs(ctx.args);
  let dest = resolvePath(ctx.rootDir, reqString(ctx.args, "dest"));
  let st = await statOrNull(dest);
  // As cp and get_url: into an existing directory, under the URL's file name.
  if (st?.isDirectory()) {
    const name = basename(url.pathname);
    if (name === "")
      return failedWith("error", `no file name in ${url.href}; give dest a file name`);
    dest = join(dest, name);
    st = await statOrNull(dest);
  }
  const base = { url: url.href, dest };
  const existing = st?.isFile() ? await readFile(dest) : null;
  // dest keeps its content; its mode is still enforced, as by every file action.
  const keep = (old: Buffer, status: number | null, msg: string, keepDry: boolean) =>
    writeContent(ctx.args, dest, old, attrs, keepDry, {
      ...base,
      status_code: status,
      checksum: digestOf("sha256", old),
      msg,
    });
  if (existing !== null && want !== null && !force && matches(want, existing)) {
    return keep(existing, null, "dest already has the expected checksum", dry);
  }
  if (dry)
    return succeeded(true, { ...base, status_code: null, msg: `would download ${url.href}` });

  // A checksum is the better test of an existing file, so it gets no conditional GET.
  const since = existing !== null && want === null && !force ? st?.mtime : undefined;
  const got = await fetchBody(
    url.href,
    since === undefined ? headers : { "If-Modified-Since": since.toUTCString(), ...headers },
    timeoutMs,
    ctx.signal,
  );
  if (!got.ok) return failedWith(got.error.reason, got.error.message, base);
  const { status, statusText, body } = got.value;
  if (status === 304 && existing !== null) return keep(existing, status, "not modified", false);
  if (status < 200 || status > 299) {
    const msg = `HTTP ${status}${statusText === "" ? "" : ` ${statusText}`} from ${url.href}`;
    return failedWith("error", msg, { ...base, status_code: status });
  }
  const checksum = digestOf("sha256", body);
  const result = { ...base, status_code: status, checksum };
  if (want !== null && !matches(want, body)) {
    const actual = `${want.algo}:${digestOf(want.algo, body)}`;
    const msg = `checksum mismatch: expected ${want.algo}:${want.hex}, got ${actual}`;
    return failedWith("error", msg, result);
  }
  const msg = `OK (${body.length} bytes)`;
  return writeContent(ctx.args, dest, body, attrs, false, { ...result, msg });
}

function httpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ArgError(`'url' is not a valid URL: ${text}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ArgError(`'url' must be http or https: ${text}`);
  }
  return url;
}

function stringHeaders(map: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== "string" && typeof v !== "number") {
      throw new ArgError(`'headers.${k}' must be a string`);
    }
    out[k] = String(v);
  }
  return out;
}
