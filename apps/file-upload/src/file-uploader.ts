/**
 * Tornado's file_uploader.py: `node dist/file-uploader.js [--put] [--url=http://localhost:8888] FILE...`
 * (`pnpm --filter @tornado-apps/file-upload upload -- --put a.txt b.png`). POST sends all files
 * in one multipart/form-data body; PUT sends each file as the raw body of `PUT /<name>`. Either
 * way the body is produced 16 KiB at a time with AsyncHTTPClient's `bodyProducer`, which waits
 * for each write to be taken: a large file is never read into memory.
 */

import { randomUUID } from "node:crypto";
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import { AsyncHTTPClient, define, parseCommandLine, type HTTPResponse } from "@tornado/tornado";
import { lookup } from "mime-types";

type Write = (chunk: Buffer | string) => Promise<void>;

const CHUNK_SIZE = 16 * 1024;

function contentType(path: string): string {
  return lookup(path) || "application/octet-stream";
}

async function copyFile(path: string, write: Write): Promise<void> {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.alloc(CHUNK_SIZE);
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, CHUNK_SIZE, null);
      if (bytesRead === 0) return;
      // A copy: the producer may hold the chunk while the next read fills the buffer.
      await write(Buffer.from(buffer.subarray(0, bytesRead)));
    }
  } finally {
    await file.close();
  }
}

/**
 * A file name as a quoted-string in Content-Disposition, escaped as browsers do (HTML's
 * multipart/form-data encoding: `"` as %22, CR and LF as %0D and %0A). Tornado's uploader
 * puts the name in as it is, so a quote in it breaks the header.
 */
export function dispositionName(name: string): string {
  return name.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Streams `paths` as one multipart/form-data body, each file in a part named after it. */
export async function multipartProducer(boundary: string, paths: readonly string[], write: Write): Promise<void> {
  for (const path of paths) {
    const name = dispositionName(basename(path));
    await write(
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}"\r\n` +
        `Content-Type: ${contentType(path)}\r\n\r\n`,
    );
    await copyFile(path, write);
    await write("\r\n");
  }
  await write(`--${boundary}--\r\n`);
}

/** POSTs every file in one multipart request to `<url>/post`. */
export function postFiles(client: AsyncHTTPClient, url: string, paths: readonly string[]): Promise<HTTPResponse> {
  const boundary = randomUUID().replace(/-/g, "");
  return client.fetch(`${url}/post`, {
    method: "POST",
    headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
    bodyProducer: (write) => multipartProducer(boundary, paths, write),
  });
}

/** PUTs each file, one after the other, to `<url>/<name>`; resolves with the responses. */
export async function putFiles(client: AsyncHTTPClient, url: string, paths: readonly string[]): Promise<HTTPResponse[]> {
  const responses: HTTPResponse[] = [];
  for (const path of paths) {
    const { size } = await stat(path);
    responses.push(
      await client.fetch(`${url}/${encodeURIComponent(basename(path))}`, {
        method: "PUT",
        headers: { "Content-Type": contentType(path), "Content-Length": String(size) },
        bodyProducer: (write) => copyFile(path, write),
      }),
    );
  }
  return responses;
}

async function main(): Promise<void> {
  // Defined here, not at the top: the tests import this module's functions into their process.
  const options = define("put", { default: false, help: "PUT each file (default: POST them all in one multipart/form-data body)" })
    .define("url", { default: "http://localhost:8888", help: "the receiver" });
  const paths = parseCommandLine(); // what follows the options: the files
  if (paths.length === 0) {
    process.stderr.write("Provide a list of filenames to upload.\n");
    process.exit(1);
  }
  const url = options.url.replace(/\/+$/, "");
  const client = new AsyncHTTPClient();
  try {
    const responses = options.put ? await putFiles(client, url, paths) : [await postFiles(client, url, paths)];
    for (const response of responses) process.stdout.write(`${response.code} ${response.reason} ${response.text}\n`);
  } finally {
    await client.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  });
}
