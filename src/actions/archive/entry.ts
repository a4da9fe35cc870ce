/**
 * What an archive reader yields: the entries of a tar or zip archive, in archive
 * order, with names exactly as stored (the extractor strips and validates them).
 */
export type ArchiveEntry =
  | { kind: "file"; name: string; mode: number | null; data: Buffer }
  | { kind: "dir"; name: string; mode: number | null }
  | { kind: "symlink"; name: string; target: string };
