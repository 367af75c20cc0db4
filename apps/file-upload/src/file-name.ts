/**
 * Which names a PUT may store a file under. The name comes from the URL path (already
 * percent-decoded, so `%2F` arrives as "/"), and is joined to the upload directory: anything
 * that could leave the directory or hide in it is refused. Tornado's demo only logs the name;
 * a receiver that writes to disk needs this.
 */

import { resolve, sep } from "node:path";

/** Bytes of UTF-8 a name may take: the usual file-system limit. */
export const MAX_NAME_BYTES = 255;

/** Why `name` cannot be a file name in the upload directory, or null when it can. */
export function fileNameProblem(name: string): string | null {
  if (name === "") return "the file name is empty";
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) return `the file name is longer than ${MAX_NAME_BYTES} bytes`;
  if (name.includes("/") || name.includes("\\")) return "the file name contains a path separator";
  // Leading dots: ".", "..", hidden files, and this app's own ".<name>.part" files.
  if (name.startsWith(".")) return "the file name starts with a dot";
  if (/[\u0000-\u001f\u007f]/.test(name)) return "the file name contains a control character";
  return null;
}

/** The path of `name` inside `directory`; throws if it would not be inside (checked names never are). */
export function pathInside(directory: string, name: string): string {
  const root = resolve(directory);
  const path = resolve(root, name);
  if (!path.startsWith(root + sep)) throw new Error(`${JSON.stringify(name)} resolves outside ${root}`);
  return path;
}
