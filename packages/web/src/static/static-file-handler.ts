/**
 * Serves files from a directory: ETag and Last-Modified validation, single Range requests,
 * HEAD, long caching for `?v=` URLs, content types from the mime-types table, precompressed
 * `.br`/`.gz` siblings, and no path outside the root (403/404). Files are streamed in 64 KiB
 * chunks, never read whole. Tornado: web.StaticFileHandler.
 */

import { createHash } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";
import { open, realpath, stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import * as path from "node:path";
import { lookup } from "mime-types";
import { genLog, StreamClosedError } from "@tornado/ioloop";
import { ArgumentTypeError } from "@tornado/util";
import type { ApplicationSettings } from "../settings";
import { HTTPError } from "../errors";
import { negotiateContentEncoding } from "../output/accept-encoding";
import { formatContentRange, parseRequestRange } from "./http-range";
import { RequestHandler } from "../handler/request-handler";

/** Init arguments (`staticHandlerArgs` plus `path`). */
export interface StaticFileHandlerOptions {
  /** The root directory. */
  path: string;
  /** File served for a directory URL ending in `/` (e.g. "index.html"); default none. */
  defaultFilename?: string | null;
  /** Serve `file.br` / `file.gz` when present and accepted; default true. Beyond Tornado. */
  precompressed?: boolean;
}

/** What getContent may return: bytes, or chunks (sync or async). */
export type StaticContent = Buffer | Iterable<Buffer> | AsyncIterable<Buffer>;

const CHUNK_SIZE = 64 * 1024;
const PRECOMPRESSED: readonly [encoding: string, extension: string][] = [
  ["br", ".br"],
  ["gzip", ".gz"],
];
// Python's mimetypes encodings: a file with these extensions is "encoded", not typed.
const ENCODING_EXTENSIONS: Record<string, string> = { ".gz": "gzip", ".bz2": "bzip2", ".xz": "xz", ".z": "compress", ".br": "br" };

export class StaticFileHandler extends RequestHandler {
  /** Seconds of caching for versioned (`?v=`) URLs: 10 years. Tornado: CACHE_MAX_AGE. */
  static CACHE_MAX_AGE = 86400 * 365 * 10;
  static #hashes = new Map<string, string | null>();

  /** The root directory. */
  root = "";
  /** Tornado: default_filename. */
  defaultFilename: string | null = null;
  /** Whether precompressed siblings are served. */
  precompressed = true;
  /** The requested path, relative to the root (after parseUrlPath). */
  path = "";
  /** The validated file, or null when the response was decided (redirect). */
  absolutePath: string | null = null;
  /** The file actually sent: absolutePath or a precompressed sibling. */
  servedPath: string | null = null;
  /** The Content-Encoding of servedPath, if it is a precompressed sibling. */
  contentEncoding: string | null = null;
  /** Last modification, whole seconds. */
  modified: Date | null = null;
  #stat: Stats | null = null;

  override initialize(options: StaticFileHandlerOptions): void {
    if (options === undefined || options === null || typeof options.path !== "string") {
      throw new ArgumentTypeError(`StaticFileHandler needs { path: string }, got ${JSON.stringify(options)}`);
    }
    this.root = options.path;
    this.defaultFilename = options.defaultFilename ?? null;
    this.precompressed = options.precompressed ?? true;
  }

  /** Forgets cached content hashes. Tornado: StaticFileHandler.reset. */
  static reset(): void {
    StaticFileHandler.#hashes = new Map();
  }

  override head(urlPath: string): Promise<void> {
    return this.get(urlPath, false);
  }

  override async get(urlPath: string | null, includeBody = true): Promise<void> {
    if (this.settings.staticHashCache === false) StaticFileHandler.reset();
    const ctor = this.constructor as typeof StaticFileHandler;
    this.path = this.parseUrlPath(urlPath ?? "");
    const absolutePath = ctor.getAbsolutePath(this.root, this.path);
    this.absolutePath = await this.validateAbsolutePath(this.root, absolutePath);
    if (this.absolutePath === null) return;
    this.servedPath = this.absolutePath;
    if (this.precompressed) await this.#choosePrecompressed(this.absolutePath);
    this.modified = await this.getModifiedTime();
    this.setHeaders();
    if (this.shouldReturn304()) {
      this.setStatus(304);
      return;
    }
    const size = await this.getContentSize();
    let start: number | null = null;
    let end: number | null = null;
    const rangeHeader = this.request.headers.get("Range");
    const range = rangeHeader ? parseRequestRange(rangeHeader) : null;
    if (range !== null) {
      [start, end] = range;
      if (start !== null && start < 0) start = Math.max(0, start + size);
      if ((start !== null && (start >= size || (end !== null && start >= end))) || end === 0) {
        this.setStatus(416);
        this.setHeader("Content-Type", "text/plain");
        this.setHeader("Content-Range", `bytes */${size}`);
        return;
      }
      if (end !== null && end > size) end = size;
      if (size !== (end || size) - (start ?? 0)) {
        this.setStatus(206);
        this.setHeader("Content-Range", formatContentRange(start, end, size));
      }
    }
    let contentLength: number;
    if (start !== null && end !== null) contentLength = end - start;
    else if (end !== null) contentLength = end;
    else if (start !== null) contentLength = size - start;
    else contentLength = size;
    this.setHeader("Content-Length", contentLength);
    if (!includeBody) return;
    const content = ctor.getContent(this.servedPath!, start, end);
    try {
      if (Buffer.isBuffer(content)) {
        this.write(content);
        await this.flush();
        return;
      }
      for await (const chunk of content as AsyncIterable<Buffer>) {
        this.write(chunk);
        await this.flush();
      }
    } catch (error) {
      if (error instanceof StreamClosedError) return;
      throw error;
    }
  }

  async #choosePrecompressed(absolutePath: string): Promise<void> {
    if (ENCODING_EXTENSIONS[path.extname(absolutePath).toLowerCase()] !== undefined) return;
    const available: string[] = [];
    for (const [encoding, extension] of PRECOMPRESSED) {
      const candidate = absolutePath + extension;
      try {
        if ((await stat(candidate)).isFile() && (await this.#insideRoot(candidate))) available.push(encoding);
      } catch {
        // no sibling
      }
    }
    if (available.length === 0) return;
    this.addHeader("Vary", "Accept-Encoding");
    const chosen = negotiateContentEncoding(this.request.headers.get("Accept-Encoding"), available);
    if (chosen === undefined) return;
    this.contentEncoding = chosen;
    this.servedPath = absolutePath + PRECOMPRESSED.find(([encoding]) => encoding === chosen)![1];
  }

  async #insideRoot(file: string): Promise<boolean> {
    const [realRoot, realFile] = await Promise.all([realpath(this.root), realpath(file)]);
    const prefix = realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep;
    return realFile.startsWith(prefix);
  }

  /** The ETag: `"<sha512 of the served file>"`, or null. Tornado: compute_etag. */
  override computeEtag(): string | null {
    if (this.servedPath === null) return null;
    const version = (this.constructor as typeof StaticFileHandler)._getCachedVersion(this.servedPath);
    return version ? `"${version}"` : null;
  }

  /** Accept-Ranges, Etag, Last-Modified, Content-Type, caching headers. Tornado: set_headers. */
  setHeaders(): void {
    this.setHeader("Accept-Ranges", "bytes");
    this.setEtagHeader();
    if (this.modified !== null) this.setHeader("Last-Modified", this.modified);
    const contentType = this.getContentType();
    if (contentType) this.setHeader("Content-Type", contentType);
    if (this.contentEncoding !== null) this.setHeader("Content-Encoding", this.contentEncoding);
    const cacheTime = this.getCacheTime(this.path, this.modified, contentType);
    if (cacheTime > 0) {
      this.setHeader("Expires", new Date(Date.now() + cacheTime * 1000));
      this.setHeader("Cache-Control", `max-age=${cacheTime}`);
    }
    this.setExtraHeaders(this.path);
  }

  /**
   * If-None-Match decides when present; otherwise If-Modified-Since at or after the file's
   * time. An unparsable date is ignored. Tornado: should_return_304.
   */
  shouldReturn304(): boolean {
    if (this.request.headers.get("If-None-Match")) return this.checkEtagHeader();
    const ims = this.request.headers.get("If-Modified-Since");
    if (ims !== undefined && this.modified !== null) {
      const since = Date.parse(ims);
      if (!Number.isNaN(since) && since >= this.modified.getTime()) return true;
    }
    return false;
  }

  /**
   * The file path for a URL path: resolved against the root (an absolute path stays absolute,
   * as Python's os.path.join). Validation is validateAbsolutePath's job.
   * Tornado: StaticFileHandler.get_absolute_path (a class method).
   */
  static getAbsolutePath(root: string, urlPath: string): string {
    return path.resolve(root, urlPath);
  }

  /**
   * Checks the path: inside the root (403 "… is not in root static directory", symlinks
   * resolved), a directory redirects to add `/` or serves defaultFilename, missing -> 404,
   * not a regular file -> 403. Returns null when it answered (redirect).
   * Tornado: validate_absolute_path.
   */
  async validateAbsolutePath(root: string, absolutePath: string): Promise<string | null> {
    let resolvedRoot = path.resolve(root);
    if (!resolvedRoot.endsWith(path.sep)) resolvedRoot += path.sep;
    if (!(absolutePath + path.sep).startsWith(resolvedRoot)) {
      throw new HTTPError(403, "%s is not in root static directory", this.path);
    }
    if (absolutePath.includes("\0")) throw new HTTPError(404);
    let info: Stats;
    try {
      info = await stat(absolutePath);
    } catch {
      throw new HTTPError(404);
    }
    // A symlink may point out of the root: compare the real paths too (beyond Tornado).
    await this.#requireInsideRoot(absolutePath);
    if (info.isDirectory() && this.defaultFilename !== null) {
      const requestPath = this.request.path;
      if (!requestPath.endsWith("/")) {
        // "//evil.com/" would be a protocol-relative redirect: an open redirect.
        if (requestPath.startsWith("//")) throw new HTTPError(403, "cannot redirect path with two initial slashes");
        await this.redirect(requestPath + "/", true);
        return null;
      }
      absolutePath = path.join(absolutePath, this.defaultFilename);
      try {
        info = await stat(absolutePath);
      } catch {
        throw new HTTPError(404);
      }
    }
    if (!info.isFile()) throw new HTTPError(403, "%s is not a file", this.path);
    await this.#requireInsideRoot(absolutePath);
    return absolutePath;
  }

  async #requireInsideRoot(file: string): Promise<void> {
    let inside: boolean;
    try {
      inside = await this.#insideRoot(file);
    } catch {
      throw new HTTPError(404);
    }
    if (!inside) throw new HTTPError(403, "%s is not in root static directory", this.path);
  }

  /**
   * The bytes of `[start, end)` of the file, as 64 KiB chunks read on demand.
   * Tornado: StaticFileHandler.get_content (a class method).
   */
  static getContent(absolutePath: string, start: number | null = null, end: number | null = null): StaticContent {
    return readChunks(absolutePath, start, end);
  }

  /**
   * A version string for the file: the SHA-512 hex of its content (read in chunks).
   * Tornado: StaticFileHandler.get_content_version (a class method).
   */
  static getContentVersion(absolutePath: string): string {
    const hash = createHash("sha512");
    const fd = openSync(absolutePath, "r");
    try {
      const buffer = Buffer.allocUnsafe(CHUNK_SIZE);
      for (;;) {
        const read = readSync(fd, buffer, 0, CHUNK_SIZE, null);
        if (read === 0) break;
        hash.update(buffer.subarray(0, read));
      }
    } finally {
      closeSync(fd);
    }
    return hash.digest("hex");
  }

  /** The cached version of a file, computed once (null when unreadable). @internal */
  static _getCachedVersion(absolutePath: string): string | null {
    const hashes = StaticFileHandler.#hashes;
    if (!hashes.has(absolutePath)) {
      try {
        hashes.set(absolutePath, this.getContentVersion(absolutePath));
      } catch {
        genLog.error(`Could not open static file ${JSON.stringify(absolutePath)}`);
        hashes.set(absolutePath, null);
      }
    }
    return hashes.get(absolutePath) ?? null;
  }

  async #statServed(): Promise<Stats> {
    if (this.#stat === null) this.#stat = await stat(this.servedPath!);
    return this.#stat;
  }

  /** Bytes. Tornado: get_content_size. */
  async getContentSize(): Promise<number> {
    return (await this.#statServed()).size;
  }

  /** The modification time in whole seconds, or null. Tornado: get_modified_time. */
  async getModifiedTime(): Promise<Date | null> {
    return new Date(Math.floor((await this.#statServed()).mtimeMs / 1000) * 1000);
  }

  /**
   * The type from the mime-types table; `.gz` files are `application/gzip`, other encodings
   * (`.bz2`, `.xz`, `.br`...) `application/octet-stream`, as Python's mimetypes decides.
   * Tornado: get_content_type.
   */
  getContentType(): string {
    const file = this.absolutePath ?? "";
    const encoding = ENCODING_EXTENSIONS[path.extname(file).toLowerCase()];
    if (encoding === "gzip") return "application/gzip";
    if (encoding !== undefined) return "application/octet-stream";
    return lookup(file) || "application/octet-stream";
  }

  /** Hook for extra headers. Tornado: set_extra_headers. */
  setExtraHeaders(_path: string): void {}

  /** Seconds to cache: CACHE_MAX_AGE for `?v=` URLs, else 0. Tornado: get_cache_time. */
  getCacheTime(_path: string, _modified: Date | null, _mimeType: string): number {
    return "v" in this.request.arguments ? (this.constructor as typeof StaticFileHandler).CACHE_MAX_AGE : 0;
  }

  /**
   * `staticUrlPrefix + path + "?v=" + hash` (no `?v` without a version or with
   * includeVersion false). Tornado: make_static_url (a class method).
   */
  static makeStaticUrl(settings: ApplicationSettings, urlPath: string, includeVersion = true): string {
    const url = (settings.staticUrlPrefix ?? "/static/") + urlPath;
    if (!includeVersion) return url;
    const version = this.getVersion(settings, urlPath);
    return version ? `${url}?v=${version}` : url;
  }

  /** The URL path to a file path under the root. Tornado: parse_url_path. */
  parseUrlPath(urlPath: string): string {
    return path.sep === "/" ? urlPath : urlPath.split("/").join(path.sep);
  }

  /** The version of a static path, or null. Tornado: get_version (a class method). */
  static getVersion(settings: ApplicationSettings, urlPath: string): string | null {
    if (settings.staticPath === undefined) return null;
    return this._getCachedVersion(this.getAbsolutePath(settings.staticPath, urlPath));
  }
}

async function* readChunks(file: string, start: number | null, end: number | null): AsyncGenerator<Buffer> {
  const handle = await open(file, "r");
  try {
    let position = start ?? 0;
    let remaining = end === null ? Infinity : end - position;
    while (remaining > 0) {
      const size = Math.min(CHUNK_SIZE, remaining);
      const buffer = Buffer.allocUnsafe(size);
      const { bytesRead } = await handle.read(buffer, 0, size, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      remaining -= bytesRead;
      yield bytesRead === size ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
