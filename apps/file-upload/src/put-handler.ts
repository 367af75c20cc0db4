/**
 * `PUT /<name>`: the body streamed to disk as it arrives (Tornado's demo: PUTHandler with
 * `@stream_request_body`). Each chunk is written before the next is read: dataReceived
 * returns the write's Promise, and the connection stops reading until it settles, so a fast
 * client cannot fill memory while the disk is slow. The bytes go to a hidden temp file that
 * is renamed over `<name>` once complete, or removed when the upload fails or the client
 * goes away; a reader never sees half a file.
 */

import { randomBytes } from "node:crypto";
import { open, rename, rm, stat, type FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";
import { appLog, HTTPError, RequestHandler, streamRequestBody, type ErrorDetails } from "@tornado/tornado";
import { fileNameProblem, pathInside } from "./file-name";

export interface UploadOptions {
  uploadDir: string;
  /** Bytes one PUT may carry; larger bodies are answered 413. */
  maxFileSize: number;
}

@streamRequestBody
export class PUTHandler extends RequestHandler {
  static override SUPPORTED_METHODS = ["PUT"];

  upload!: UploadOptions;
  name = "";
  path = "";
  temporaryPath: string | null = null;
  file: FileHandle | null = null;
  bytesRead = 0;
  /** The write in progress, if any: discard() lets it settle before closing the file. */
  writing: Promise<void> = Promise.resolve();

  override initialize(upload: UploadOptions): void {
    this.upload = upload;
  }

  override async prepare(): Promise<void> {
    const [name] = this.pathArgs as string[];
    const problem = fileNameProblem(name);
    if (problem !== null) throw new HTTPError(400, "%s", problem, { reason: "Bad File Name" });
    this.name = name;
    this.path = pathInside(this.upload.uploadDir, name);
    // Checked by the connection before it reads the body (413 for a Content-Length over it),
    // and again while a chunked body arrives.
    this.request.connection?.setMaxBodySize?.(this.upload.maxFileSize);
    this.temporaryPath = join(dirname(this.path), `.${name}.${randomBytes(6).toString("hex")}.part`);
    this.file = await open(this.temporaryPath, "wx", 0o644);
  }

  override dataReceived(chunk: Buffer): Promise<void> {
    this.bytesRead += chunk.length;
    if (this.bytesRead > this.upload.maxFileSize) throw new HTTPError(413, "the file is larger than %d bytes", this.upload.maxFileSize);
    this.writing = this.file!.write(chunk).then(() => undefined);
    return this.writing;
  }

  async put(): Promise<void> {
    await this.file!.close();
    this.file = null;
    const existed = await stat(this.path).then(
      () => true,
      () => false,
    );
    await rename(this.temporaryPath!, this.path);
    this.temporaryPath = null;
    const contentType = this.request.headers.get("Content-Type") ?? "application/octet-stream";
    appLog.info(`PUT ${JSON.stringify(this.name)} ${JSON.stringify(contentType)} ${this.bytesRead} bytes`);
    this.setStatus(existed ? 200 : 201);
    this.write({ name: this.name, size: this.bytesRead, contentType });
  }

  /** Errors as JSON (a PUT comes from a program), saying what was wrong with the name. */
  override writeError(statusCode: number, details: ErrorDetails): void {
    const message = details.error instanceof HTTPError ? details.error.getMessage() : undefined;
    void this.finish({ status: statusCode, error: message ?? details.reason ?? "error" });
  }

  /** Runs after every request, answered or failed: an unfinished upload leaves nothing behind. */
  override onFinish(): void {
    void this.discard();
  }

  override onConnectionClose(): void {
    void this.discard();
  }

  async discard(): Promise<void> {
    const file = this.file;
    const temporaryPath = this.temporaryPath;
    this.file = null;
    this.temporaryPath = null;
    await this.writing.catch(() => undefined);
    await file?.close().catch(() => undefined);
    if (temporaryPath !== null) await rm(temporaryPath, { force: true });
  }
}
