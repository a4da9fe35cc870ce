/**
 * Builds tar, tgz and zip archives for tests with python3's tarfile and zipfile, which
 * (unlike the tar command) will write any entry asked for, hostile names included.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

export type SpecEntry =
  | { kind: "file"; name: string; data: string; mode?: number }
  | { kind: "dir"; name: string; mode?: number }
  | { kind: "symlink" | "hardlink"; name: string; target: string }
  | { kind: "fifo"; name: string };

export type Format = "tar" | "tgz" | "zip" | "zip-stored";

const SCRIPT = `
import io, json, sys, tarfile, zipfile
spec = json.loads(sys.argv[1])
out, fmt, entries = sys.argv[2], spec["format"], spec["entries"]
if fmt in ("tar", "tgz"):
    formats = {"gnu": tarfile.GNU_FORMAT, "pax": tarfile.PAX_FORMAT, "ustar": tarfile.USTAR_FORMAT}
    tf = tarfile.open(out, "w:gz" if fmt == "tgz" else "w", format=formats[spec["tarFormat"]])
    types = {"dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE, "fifo": tarfile.FIFOTYPE}
    for e in entries:
        ti = tarfile.TarInfo(e["name"])
        ti.mode = e.get("mode", 0o644)
        if e["kind"] == "file":
            data = e["data"].encode()
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))
            continue
        ti.type = types[e["kind"]]
        ti.linkname = e.get("target", "")
        tf.addfile(ti)
    tf.close()
else:
    method = zipfile.ZIP_STORED if fmt == "zip-stored" else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w") as zf:
        for e in entries:
            zi = zipfile.ZipInfo(e["name"])
            kinds = {"file": 0o100000, "dir": 0o040000, "symlink": 0o120000}
            mode = e.get("mode", 0o777 if e["kind"] == "symlink" else None)
            # No mode given: an MS-DOS made entry, which carries no Unix attributes.
            zi.create_system = 0 if mode is None else 3
            zi.external_attr = 0 if mode is None else (kinds[e["kind"]] | mode) << 16
            zf.writestr(zi, e.get("data", e.get("target", "")), compress_type=method)
`;

/** Writes `name` in `dir` and returns its path. */
export function makeArchive(
  dir: string,
  name: string,
  format: Format,
  entries: readonly SpecEntry[],
  tarFormat: "gnu" | "pax" | "ustar" = "pax",
): string {
  const out = join(dir, name);
  execFileSync("python3", ["-c", SCRIPT, JSON.stringify({ format, tarFormat, entries }), out]);
  return out;
}
