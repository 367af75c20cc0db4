/**
 * `GET /`: the two ways to upload, as forms (multipart POST, and a streamed PUT sent by
 * static/upload.js), and the files PUT has stored so far. Beyond Tornado's demo, which has
 * no page: here a browser can try both.
 */

import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { RequestHandler } from "@tornado/tornado";
import type { UploadOptions } from "./put-handler";

export interface StoredFile {
  name: string;
  size: number;
  modified: Date;
}

/** The files in `directory`, newest first, without the hidden ".part" files of uploads in progress. */
export async function storedFiles(directory: string): Promise<StoredFile[]> {
  const files: StoredFile[] = [];
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith(".")) continue;
    const info = await stat(join(directory, entry.name)).catch(() => null);
    if (info) files.push({ name: entry.name, size: info.size, modified: info.mtime });
  }
  return files.sort((a, b) => b.modified.getTime() - a.modified.getTime() || a.name.localeCompare(b.name));
}

export class IndexHandler extends RequestHandler {
  upload!: UploadOptions;

  override initialize(upload: UploadOptions): void {
    this.upload = upload;
  }

  async get(): Promise<void> {
    await this.render("index.html", { files: await storedFiles(this.upload.uploadDir), maxFileSize: this.upload.maxFileSize });
  }
}
