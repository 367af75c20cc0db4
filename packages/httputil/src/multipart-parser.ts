/**
 * An incremental multipart/form-data parser for streamed uploads: feed it the chunks a
 * `streamRequestBody` handler receives, get per-part callbacks, and file parts written to
 * disk as they arrive, never buffered whole. Beyond Tornado (whose parser needs the whole
 * body in memory); the framing and part rules are MultipartReader's, the same as
 * parseMultipartFormData's.
 */

import { randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MultipartError } from "./errors";
import type { HTTPHeaders } from "./http-headers";
import { multipartBoundary, MultipartReader, type MultipartPartHead } from "./multipart-reader";

/** One part, as the callbacks see it. */
export interface MultipartPart {
  /** The form field name (Content-Disposition `name`). */
  readonly name: string;
  /** The file name for a file part (RFC 2231 `filename*` wins), else null. */
  readonly filename: string | null;
  /** The part's Content-Type; `application/unknown` for files without one, as Tornado. */
  readonly contentType: string;
  readonly headers: HTTPHeaders;
  /** Bytes of body received so far. */
  size: number;
}

/** A file part spilled to disk. */
export interface UploadedFile {
  readonly name: string;
  readonly filename: string;
  readonly contentType: string;
  /** The temporary file (mode 0600 in uploadDir); removed by cleanup(). */
  readonly path: string;
  /** Bytes. */
  readonly size: number;
}

export interface MultipartParserOptions {
  /** At most this many parts; more is 413. Default 100 (Tornado's ParseMultipartConfig). */
  maxParts?: number;
  /** Bytes of headers per part; more is 413. Default 10240 (Tornado's). */
  maxPartHeaderSize?: number;
  /** Bytes of a non-file field kept in memory; more is 413. Default 1048576 (1 MiB). */
  maxFieldSize?: number;
  /** Bytes of one file; more is 413. Default 104857600 (100 MiB, maxBodySize's default). */
  maxFileSize?: number;
  /** Where file parts are written; default os.tmpdir(). */
  uploadDir?: string;
  /** A part's headers are in. */
  onPartBegin?(part: MultipartPart): void | Promise<void>;
  /**
   * A chunk of a part's body. When given, parts are NOT collected (no fields, no files on
   * disk): the callback owns the data. A returned Promise pauses the parser (flow control).
   */
  onPartData?(part: MultipartPart, chunk: Buffer): void | Promise<void>;
  /** A part is complete. */
  onPartEnd?(part: MultipartPart): void | Promise<void>;
  /** A non-file field is complete (collected mode). */
  onField?(name: string, value: string): void | Promise<void>;
  /** A file part is on disk (collected mode). */
  onFile?(file: UploadedFile): void | Promise<void>;
}

interface OpenPart {
  part: MultipartPart;
  file: fs.FileHandle | null;
  filePath: string | null;
  chunks: Buffer[] | null;
}

/**
 * Parses multipart/form-data incrementally. Call `write(chunk)` from `dataReceived` (return
 * its Promise for flow control) and `end()` once the body is complete; read `fields` and
 * `files` afterwards, and call `cleanup()` when the files are no longer needed.
 *
 * @example
 * @streamRequestBody
 * class Upload extends RequestHandler {
 *   parser!: MultipartParser;
 *   prepare() { this.parser = MultipartParser.fromRequest(this.request); }
 *   dataReceived(chunk: Buffer) { return this.parser.write(chunk); }
 *   async post() { await this.parser.end(); this.write({ files: Object.keys(this.parser.files) }); }
 * }
 */
export class MultipartParser {
  /** Non-file fields by name (collected mode). */
  readonly fields = Object.create(null) as Record<string, string[]>;
  /** Files by field name (collected mode). */
  readonly files = Object.create(null) as Record<string, UploadedFile[]>;
  readonly boundary: string;
  readonly #reader: MultipartReader;
  readonly #options: MultipartParserOptions;
  readonly #maxFieldSize: number;
  readonly #maxFileSize: number;
  readonly #uploadDir: string;
  readonly #spilled: string[] = [];
  #current: OpenPart | null = null;
  #error: Error | null = null;
  #queue: Promise<void> = Promise.resolve();

  /**
   * @param boundary the boundary, or a whole Content-Type value (`multipart/form-data; boundary=...`)
   */
  constructor(boundary: string, options: MultipartParserOptions = {}) {
    if (typeof boundary === "string" && (boundary.includes(";") || /^multipart\//i.test(boundary))) {
      boundary = multipartBoundary(boundary);
    }
    this.#reader = new MultipartReader(boundary, options);
    this.boundary = this.#reader.boundary;
    this.#options = options;
    this.#maxFieldSize = options.maxFieldSize ?? 1048576;
    this.#maxFileSize = options.maxFileSize ?? 104857600;
    this.#uploadDir = options.uploadDir ?? os.tmpdir();
  }

  /** A parser for the request's Content-Type; 400 when it is not multipart/form-data. */
  static fromRequest(request: { readonly headers: Pick<HTTPHeaders, "get"> }, options?: MultipartParserOptions): MultipartParser {
    const contentType = request.headers.get("Content-Type");
    if (contentType === undefined) throw new MultipartError(400, "Invalid content type: expected multipart/form-data, got none");
    return new MultipartParser(contentType.includes(";") ? contentType : `${contentType};`, options);
  }

  /** Feeds a chunk; resolves when it is processed (files written). Rejects with MultipartError. */
  write(chunk: Buffer): Promise<void> {
    const run = this.#queue.then(() => this.#process(chunk));
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Ends the input: rejects with 400 when the closing boundary never came. */
  async end(): Promise<void> {
    await this.#queue;
    if (this.#error !== null) throw this.#error;
    try {
      this.#reader.end();
    } catch (error) {
      await this.#abortCurrent();
      throw this.#fail(error as Error);
    }
  }

  /** Removes every file this parser wrote. */
  async cleanup(): Promise<void> {
    await this.#abortCurrent();
    const paths = this.#spilled.splice(0);
    await Promise.all(paths.map((file) => fs.rm(file, { force: true })));
  }

  #fail(error: Error): Error {
    this.#error ??= error;
    return this.#error;
  }

  async #abortCurrent(): Promise<void> {
    const current = this.#current;
    this.#current = null;
    if (current?.file) await current.file.close().catch(() => {});
  }

  async #process(chunk: Buffer): Promise<void> {
    if (this.#error !== null) throw this.#error;
    const reader = this.#reader;
    try {
      reader.push(chunk);
      for (let event = reader.read(); event !== null; event = reader.read()) {
        if (event.type === "begin") await this.#beginPart(event.part);
        else if (event.type === "data") await this.#partData(event.chunk);
        else await this.#endPart();
      }
    } catch (error) {
      await this.#abortCurrent();
      throw this.#fail(error as Error);
    }
  }

  async #beginPart(head: MultipartPartHead): Promise<void> {
    const part: MultipartPart = { name: head.name, filename: head.filename, contentType: head.contentType, headers: head.headers, size: 0 };
    const open: OpenPart = { part, file: null, filePath: null, chunks: null };
    const options = this.#options;
    if (options.onPartData === undefined) {
      if (head.filename !== null) {
        const filePath = path.join(this.#uploadDir, `tornado-upload-${randomUUID()}`);
        open.file = await fs.open(filePath, "wx", 0o600);
        open.filePath = filePath;
        this.#spilled.push(filePath);
      } else {
        open.chunks = [];
      }
    }
    this.#current = open;
    await options.onPartBegin?.(part);
  }

  async #partData(data: Buffer): Promise<void> {
    const open = this.#current as OpenPart;
    const part = open.part;
    part.size += data.length;
    const options = this.#options;
    if (options.onPartData !== undefined) {
      await options.onPartData(part, data);
      return;
    }
    if (open.file !== null) {
      if (part.size > this.#maxFileSize) throw new MultipartError(413, `file ${JSON.stringify(part.filename)} exceeds ${this.#maxFileSize} bytes`);
      // Copy: the caller may reuse its chunk's memory while the write is in flight.
      await open.file.write(Buffer.from(data));
    } else {
      if (part.size > this.#maxFieldSize) throw new MultipartError(413, `field ${JSON.stringify(part.name)} exceeds ${this.#maxFieldSize} bytes`);
      open.chunks!.push(Buffer.from(data));
    }
  }

  async #endPart(): Promise<void> {
    const open = this.#current as OpenPart;
    this.#current = null;
    const part = open.part;
    const options = this.#options;
    if (open.file !== null) {
      await open.file.close();
      const file: UploadedFile = {
        name: part.name,
        filename: part.filename as string,
        contentType: part.contentType,
        path: open.filePath as string,
        size: part.size,
      };
      (this.files[part.name] ??= []).push(file);
      await options.onFile?.(file);
    } else if (open.chunks !== null) {
      const value = Buffer.concat(open.chunks).toString("utf8");
      (this.fields[part.name] ??= []).push(value);
      await options.onField?.(part.name, value);
    }
    await options.onPartEnd?.(part);
  }
}
