/**
 * `download`: fetches `url` (http or https) to the file `dest`. Changed only when the
 * downloaded bytes differ from what is there (or the mode does). When dest already
 * has the bytes `checksum` names, no request is made at all; without a checksum an
 * existing dest is fetched conditionally (If-Modified-Since its mtime), and a 304
 * leaves it be. `force: true` always fetches. The body streams to a temp file beside
 * dest while it is hashed, is verified, and only then renamed over dest (write-stream.ts):
 * memory stays flat in the file's size, and `max_size` and `timeout` bound the
 * transfer. Check mode makes no request: it cannot know what the server would send.
 */
import { basename, dirname, join } from "node:path";
import {
  ArgError,
  optBool,
  optDurationMs,
  optRecord,
  optSizeBytes,
  optString,
  reqString,
} from "./args.js";
import { ensureAttrs } from "./attrs.js";
import { shapeWrite } from "./content-action.js";
import { parseChecksum } from "./download-checksum.js";
import { fetchToFile } from "./download-fetch.js";
import { wantedAttrs } from "./file-attrs-args.js";
import { hashFile } from "./file-hash.js";
import { failedWith, succeeded } from "./outcome.js";
import { followLinks, targetPath } from "./paths.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";
import { ensureFileFrom } from "./write-stream.js";

export const download: ActionHandler = {
  name: "download",
  runsProcess: false,
  check: (ctx) => runDownload(ctx, true),
  apply: (ctx) => runDownload(ctx, false),
};

const DEFAULT_TIMEOUT_MS = 30_000;
/** Generous for images and tarballs, small enough to stop a runaway server filling the disk (README, Decisions). */
export const DEFAULT_MAX_BYTES = 10 * 2 ** 30;

async function runDownload(ctx: ActionContext, dry: boolean): Promise<ActionOutcome> {
  const url = httpUrl(reqString(ctx.args, "url"));
  const want = parseChecksum(optString(ctx.args, "checksum"));
  const headers = stringHeaders(optRecord(ctx.args, "headers") ?? {});
  const timeoutMs = optDurationMs(ctx.args, "timeout") ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = optSizeBytes(ctx.args, "max_size") ?? DEFAULT_MAX_BYTES;
  const force = optBool(ctx.args, "force", false);
  const fs = ctx.fs;
  const attrs = await wantedAttrs(ctx.args, fs);
  let dest = await targetPath(ctx, reqString(ctx.args, "dest"));
  // As cp and get_url: into an existing directory, under the URL's file name.
  if ((await fs.stat(dest))?.kind === "directory") {
    const name = basename(url.pathname);
    if (name === "")
      return failedWith("error", `no file name in ${url.href}; give dest a file name`);
    dest = join(dest, name);
  }
  // The bytes land where dest's symlinks lead; the temp file must be beside them.
  const target = await followLinks(fs, dest);
  const st = await fs.lstat(target);
  const existing = st?.kind === "file" ? st : null;
  const base = { url: url.href, dest };
  // dest keeps its content; its mode is still enforced, as by every file action.
  const keep = async (status: number | null, checksum: string, msg: string) => {
    const changed = existing !== null && (await ensureAttrs(fs, target, existing, attrs, dry));
    const r = { changed, diff: "", backupFile: null, error: null };
    return shapeWrite(r, dest, attrs, { ...base, status_code: status, checksum, msg });
  };
  if (existing !== null && want !== null && !force) {
    const have = await hashFile(fs, target, [want.algo]);
    if (have[want.algo] === want.hex) {
      return keep(null, have.sha256 as string, "dest already has the expected checksum");
    }
  }
  if (dry)
    return succeeded(true, { ...base, status_code: null, msg: `would download ${url.href}` });

  // The temp file goes beside the target: without its directory there is nothing to fetch for.
  if ((await fs.stat(dirname(target))) === null) {
    return failedWith("error", `parent directory does not exist: ${dirname(target)}`, base);
  }
  // A checksum is the better test of an existing file, so it gets no conditional GET.
  const since =
    existing !== null && want === null && !force ? new Date(existing.mtimeMs) : undefined;
  const got = await fetchToFile({
    url: url.href,
    headers:
      since === undefined ? headers : { "If-Modified-Since": since.toUTCString(), ...headers },
    timeoutMs,
    cancel: ctx.signal,
    dest: target,
    fs,
    algos: want === null ? [] : [want.algo],
    maxBytes,
  });
  if (!got.ok) return failedWith(got.error.reason, got.error.message, base);
  const { status, statusText, body } = got.value;
  if (status === 304 && existing !== null) {
    return keep(status, await fs.sha256(target), "not modified");
  }
  if (body === null) {
    const msg = `HTTP ${status}${statusText === "" ? "" : ` ${statusText}`} from ${url.href}`;
    return failedWith("error", msg, { ...base, status_code: status });
  }
  const sha256 = body.hex.sha256 as string;
  const result = { ...base, status_code: status, checksum: sha256 };
  if (want !== null && body.hex[want.algo] !== want.hex) {
    await fs.discard(body.tmp);
    const actual = `${want.algo}:${body.hex[want.algo]}`;
    const msg = `checksum mismatch: expected ${want.algo}:${want.hex}, got ${actual}`;
    return failedWith("error", msg, result);
  }
  const r = await ensureFileFrom(fs, {
    path: target,
    from: { staged: body.tmp },
    sha256,
    backup: optBool(ctx.args, "backup", false),
    dry: false,
    ...attrs,
  });
  return shapeWrite(r, dest, attrs, { ...result, msg: `OK (${body.size} bytes)` });
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
