/**
 * Seeded, bounded fuzzing: mutated and random requests (from the conformance corpora and a few
 * templates). The parser only ever throws HTTPInputError; over sockets the server never
 * crashes, every connection ends (with responses or a close), and memory stays bounded.
 * Reproduce a failure with the seed printed in the test name.
 */

import { readFileSync } from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { HTTP1Parser } from "../src/http1-parser";
import { HTTPInputError } from "@tornado/httputil";
import { type HTTPServerRequest } from "../src/index";
import { parseResponses, respond, startServer, withLogs } from "./helpers";

const SEED = 0x7a3f19;

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEMPLATES = [
  "GET /path?a=1&b=%20 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: fuzz\r\nAccept: */*\r\n\r\n",
  "POST /submit HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\nfoo=bar",
  "POST /chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n",
  "POST /up HTTP/1.1\r\nHost: a\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 95\r\n\r\n--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\ncontent\r\n--XyZ--\r\n",
  "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /2 HTTP/1.0\r\n\r\n",
  "PUT /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
  "GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\nCookie: a=b; c=\"d\\073\"\r\n\r\n",
];

function corpusInputs(): Buffer[] {
  const inputs = TEMPLATES.map((t) => Buffer.from(t, "latin1"));
  for (const file of ["http-requests.json", "smuggling.json"]) {
    const corpus = JSON.parse(readFileSync(path.join(__dirname, "fixtures", file), "utf8")) as { cases: Array<{ raw_b64: string }> };
    for (const c of corpus.cases) {
      const raw = Buffer.from(c.raw_b64, "base64");
      if (raw.length < 4096) inputs.push(raw);
    }
  }
  return inputs;
}

const SPECIAL = [0x0d, 0x0a, 0x00, 0x20, 0x09, 0x3a, 0x3b, 0x2c, 0x22, 0x5c, 0x30, 0x66, 0x7f, 0x80, 0xff, 0x3d, 0x2d, 0x5f];

function mutate(random: () => number, input: Buffer): Buffer {
  if (random() < 0.05) {
    // Pure random bytes.
    const length = Math.floor(random() * 300);
    return Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
  }
  const bytes = [...input];
  const edits = 1 + Math.floor(random() * 4);
  for (let e = 0; e < edits && bytes.length > 0; e++) {
    const at = Math.floor(random() * bytes.length);
    const pick = random();
    if (pick < 0.3) bytes[at] = SPECIAL[Math.floor(random() * SPECIAL.length)]!;
    else if (pick < 0.5) bytes.splice(at, 0, SPECIAL[Math.floor(random() * SPECIAL.length)]!);
    else if (pick < 0.65) bytes.splice(at, 1 + Math.floor(random() * 8));
    else if (pick < 0.75) bytes[at] = Math.floor(random() * 256);
    else if (pick < 0.85) {
      // Duplicate a slice (repeated headers, lines, chunks).
      const length = 1 + Math.floor(random() * 40);
      bytes.splice(at, 0, ...bytes.slice(at, at + length));
    } else if (pick < 0.92) {
      bytes.length = at; // truncate
    } else {
      // A digit run (big lengths, chunk sizes).
      bytes.splice(at, 0, ...Buffer.from(String(Math.floor(random() * 1e12))));
    }
  }
  return Buffer.from(bytes);
}

function splits(random: () => number, data: Buffer): Buffer[] {
  if (data.length < 2 || random() < 0.5) return [data];
  const parts: Buffer[] = [];
  let start = 0;
  while (start < data.length) {
    const length = 1 + Math.floor(random() * Math.min(64, data.length - start));
    parts.push(data.subarray(start, start + length));
    start += length;
  }
  return parts;
}

describe(`fuzz (seed ${SEED.toString(16)})`, () => {
  it("the parser throws nothing but HTTPInputError on 20,000 mutated inputs, fed in random splits", () => {
    const random = mulberry32(SEED);
    const inputs = corpusInputs();
    let refused = 0;
    for (let i = 0; i < 20000; i++) {
      const data = mutate(random, inputs[Math.floor(random() * inputs.length)]!);
      const parser = new HTTP1Parser(
        { onHeaders: () => false, onBody: () => false, onMessageComplete: () => false },
        { maxHeaderSize: 2048, maxBodySize: 1 << 20, chunkSize: 1 + Math.floor(random() * 64) },
      );
      try {
        for (const part of splits(random, data)) parser.execute(part);
      } catch (error) {
        if (!(error instanceof HTTPInputError)) throw new Error(`case ${i}: ${String(error)} on ${JSON.stringify(data.toString("latin1"))}`);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(1000);
  });

  it("the server survives 3,000 mutated requests: every connection ends, memory stays bounded", async () => {
    const random = mulberry32(SEED + 1);
    const inputs = corpusInputs();
    const handler = (request: HTTPServerRequest) => {
      // Touch the lazily parsed parts too (arguments, files, cookies).
      void request.arguments;
      void request.files;
      void request.cookies;
      respond(request, `ok ${request.body.length}`);
    };
    const { result, logs } = await withLogs(async () => {
      const { port, server, close } = await startServer(handler, { maxHeaderSize: 4096, maxBodySize: 1 << 16, decompressRequest: true });
      const before = process.memoryUsage().heapUsed;
      const outcomes = { responded: 0, closedSilently: 0, unparsable: 0 };
      const exchange = (parts: Buffer[]) =>
        new Promise<void>((resolve, reject) => {
          const chunks: Buffer[] = [];
          const socket = net.connect(port, "127.0.0.1");
          const timer = setTimeout(() => reject(new Error("connection did not end within 10 s")), 10000);
          socket.on("data", (d) => chunks.push(d));
          socket.on("error", () => {});
          socket.on("close", () => {
            clearTimeout(timer);
            const data = Buffer.concat(chunks);
            if (data.length === 0) outcomes.closedSilently++;
            else {
              try {
                parseResponses(data);
                outcomes.responded++;
              } catch {
                // A response cut by the close (a client half-close mid-answer) still starts
                // with a status line.
                if (!data.toString("latin1").startsWith("HTTP/1.1 ")) reject(new Error(`garbage answer ${JSON.stringify(data.toString("latin1").slice(0, 80))}`));
                outcomes.unparsable++;
              }
            }
            resolve();
          });
          socket.on("connect", () => {
            for (const part of parts) socket.write(part);
            socket.end(); // half-close: the server must finish and close
          });
        });
      const cases = Array.from({ length: 3000 }, () => splits(random, mutate(random, inputs[Math.floor(random() * inputs.length)]!)));
      let next = 0;
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (next < cases.length) await exchange(cases[next++]!);
        }),
      );
      const grown = process.memoryUsage().heapUsed - before;
      const open = server.connections.size;
      await close();
      return { outcomes, grown, open };
    });
    expect(result.open).toBe(0);
    expect(result.outcomes.responded + result.outcomes.closedSilently + result.outcomes.unparsable).toBe(3000);
    expect(result.outcomes.responded).toBeGreaterThan(1000);
    expect(result.grown).toBeLessThan(64 * 1024 * 1024);
    // Nothing reached the application's error log: every failure was a protocol error.
    expect(logs.filter((r) => r.name === "tornado.application")).toEqual([]);
  }, 120000);
});
