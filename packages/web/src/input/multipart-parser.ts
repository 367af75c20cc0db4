/**
 * An incremental multipart/form-data parser for streamed uploads: feed it the chunks a
 * `streamRequestBody` handler receives, get per-part callbacks, and file parts written to
 * disk as they arrive, never buffered whole. Beyond Tornado (whose parser needs the whole
 * body in memory); part rules as Tornado 6.5's parse_multipart_form_data.
 */

import { randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { HTTPHeaders, parseHeaderParameters, type HTTPServerRequest } from "@tornado/httpserver";
import { MultipartError } from "../errors";

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

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");
const enum State {
  Preamble,
  AfterBoundary,
  Headers,
  Body,
  Done,
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
  readonly fields: Record<string, string[]> = Object.create(null);
  /** Files by field name (collected mode). */
  readonly files: Record<string, UploadedFile[]> = Object.create(null);
  readonly boundary: string;
  readonly #delimiter: Buffer;
  readonly #options: MultipartParserOptions;
  readonly #maxParts: number;
  readonly #maxPartHeaderSize: number;
  readonly #maxFieldSize: number;
  readonly #maxFileSize: number;
  readonly #uploadDir: string;
  readonly #spilled: string[] = [];
  #state = State.Preamble;
  // Starts with CRLF so that the first boundary looks like every later delimiter.
  #buffer: Buffer = CRLF;
  #parts = 0;
  #current: OpenPart | null = null;
  #error: Error | null = null;
  #queue: Promise<void> = Promise.resolve();

  /**
   * @param boundary the boundary, or a whole Content-Type value (`multipart/form-data; boundary=...`)
   */
  constructor(boundary: string, options: MultipartParserOptions = {}) {
    if (typeof boundary !== "string" || boundary.length === 0) {
      throw new MultipartError(400, `multipart boundary must be a non-empty string, got ${JSON.stringify(boundary)}`);
    }
    if (boundary.includes(";") || /^multipart\//i.test(boundary)) {
      const [type, params] = parseHeaderParameters(boundary);
      if (type.toLowerCase() !== "multipart/form-data") {
        throw new MultipartError(400, `Expected multipart/form-data, got ${JSON.stringify(type)}`);
      }
      if (!params.boundary) throw new MultipartError(400, "Invalid multipart/form-data: no boundary");
      boundary = params.boundary;
    }
    if (boundary.length > 70) throw new MultipartError(400, "Invalid multipart/form-data: boundary longer than 70 bytes");
    this.boundary = boundary;
    this.#delimiter = Buffer.from(`\r\n--${boundary}`, "latin1");
    this.#options = options;
    this.#maxParts = options.maxParts ?? 100;
    this.#maxPartHeaderSize = options.maxPartHeaderSize ?? 10240;
    this.#maxFieldSize = options.maxFieldSize ?? 1048576;
    this.#maxFileSize = options.maxFileSize ?? 104857600;
    this.#uploadDir = options.uploadDir ?? os.tmpdir();
  }

  /** A parser for the request's Content-Type; 400 when it is not multipart/form-data. */
  static fromRequest(request: Pick<HTTPServerRequest, "headers">, options?: MultipartParserOptions): MultipartParser {
    const contentType = request.headers.get("Content-Type");
    if (contentType === undefined) throw new MultipartError(400, "Expected multipart/form-data, got no Content-Type");
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
    if (this.#state !== State.Done) {
      await this.#abortCurrent();
      throw this.#fail(new MultipartError(400, "Invalid multipart/form-data: missing final boundary"));
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
    if (this.#state === State.Done) return;
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    try {
      await this.#drain();
    } catch (error) {
      await this.#abortCurrent();
      throw this.#fail(error as Error);
    }
  }

  async #drain(): Promise<void> {
    const delimiter = this.#delimiter;
    for (;;) {
      const buffer = this.#buffer;
      switch (this.#state) {
        case State.Preamble: {
          const at = buffer.indexOf(delimiter);
          if (at < 0) {
            this.#buffer = buffer.subarray(Math.max(0, buffer.length - delimiter.length + 1));
            return;
          }
          this.#buffer = buffer.subarray(at + delimiter.length);
          this.#state = State.AfterBoundary;
          break;
        }
        case State.AfterBoundary: {
          if (buffer.length < 2) return;
          if (buffer[0] === 0x2d && buffer[1] === 0x2d) {
            this.#state = State.Done;
            this.#buffer = Buffer.alloc(0);
            return;
          }
          // RFC 2046 5.1.1: transport padding (spaces, tabs) may precede the CRLF.
          const lineEnd = buffer.indexOf(CRLF);
          if (lineEnd < 0) {
            if (buffer.length > 256) throw new MultipartError(400, "Invalid multipart/form-data: bad boundary line");
            return;
          }
          if (!/^[ \t]*$/.test(buffer.subarray(0, lineEnd).toString("latin1"))) {
            throw new MultipartError(400, "Invalid multipart/form-data: bad boundary line");
          }
          this.#buffer = buffer.subarray(lineEnd + 2);
          this.#state = State.Headers;
          break;
        }
        case State.Headers: {
          // A part with no headers starts directly with CRLF.
          let end: number;
          let skip: number;
          if (buffer.length >= 2 && buffer[0] === 0x0d && buffer[1] === 0x0a) {
            end = 0;
            skip = 2;
          } else {
            end = buffer.indexOf(HEADER_END);
            skip = 4;
          }
          if (end < 0) {
            if (buffer.length > this.#maxPartHeaderSize) {
              throw new MultipartError(413, `multipart part headers exceed ${this.#maxPartHeaderSize} bytes`);
            }
            return;
          }
          if (end > this.#maxPartHeaderSize) {
            throw new MultipartError(413, `multipart part headers exceed ${this.#maxPartHeaderSize} bytes`);
          }
          const headerText = buffer.subarray(0, end).toString("utf8");
          this.#buffer = buffer.subarray(end + skip);
          await this.#beginPart(headerText);
          this.#state = State.Body;
          break;
        }
        case State.Body: {
          const at = buffer.indexOf(delimiter);
          if (at < 0) {
            const keep = delimiter.length - 1;
            if (buffer.length > keep) {
              const data = buffer.subarray(0, buffer.length - keep);
              this.#buffer = buffer.subarray(buffer.length - keep);
              await this.#partData(data);
            }
            return;
          }
          const data = buffer.subarray(0, at);
          this.#buffer = buffer.subarray(at + delimiter.length);
          if (data.length > 0) await this.#partData(data);
          await this.#endPart();
          this.#state = State.AfterBoundary;
          break;
        }
        case State.Done:
          return;
      }
    }
  }

  async #beginPart(headerText: string): Promise<void> {
    if (++this.#parts > this.#maxParts) throw new MultipartError(413, `more than ${this.#maxParts} multipart parts`);
    const headers = new HTTPHeaders();
    try {
      for (const line of headerText.split("\r\n")) if (line.length > 0) headers.parseLine(line);
    } catch (error) {
      throw new MultipartError(400, `Invalid multipart/form-data: ${(error as Error).message}`);
    }
    const disposition = headers.get("Content-Disposition");
    if (disposition === undefined) throw new MultipartError(400, "Invalid multipart/form-data: missing Content-Disposition");
    const [kind, params] = parseHeaderParameters(disposition);
    if (kind.toLowerCase() !== "form-data" || params.name === undefined) {
      throw new MultipartError(400, "Invalid multipart/form-data: Content-Disposition must be form-data with a name");
    }
    const filename = params.filename ?? null;
    const contentType = headers.get("Content-Type") ?? (filename !== null ? "application/unknown" : "text/plain");
    const part: MultipartPart = { name: params.name, filename, contentType, headers, size: 0 };
    const open: OpenPart = { part, file: null, filePath: null, chunks: null };
    const options = this.#options;
    if (options.onPartData === undefined) {
      if (filename !== null) {
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
      // Copy: the parser's buffer is reused while the write is in flight.
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
