import * as path from "node:path";
import { readFileSync } from "node:fs";
import { HTTP1Parser, type HTTP1ParserHandler } from "../src/http1-parser";
import { HTTPInputError, type HTTPHeaders, type RequestStartLine } from "@tornado/httputil";
import { HTTPBodyTooLargeError, HTTPHeadersTooLargeError, HTTPURITooLongError } from "../src/index";

interface Parsed {
  method: string;
  url: string;
  version: string;
  headers: Array<[string, string]>;
  body: Buffer;
  complete: boolean;
}

function collect(options: ConstructorParameters<typeof HTTP1Parser>[1] = {}) {
  const messages: Parsed[] = [];
  let current: Parsed | null = null;
  const handler: HTTP1ParserHandler = {
    onHeaders(startLine: RequestStartLine, headers: HTTPHeaders) {
      current = { method: startLine.method, url: startLine.path, version: startLine.version, headers: [...headers.allItems()], body: Buffer.alloc(0), complete: false };
      messages.push(current);
      return false;
    },
    onBody(chunk: Buffer) {
      current!.body = Buffer.concat([current!.body, chunk]);
      return false;
    },
    onMessageComplete() {
      current!.complete = true;
      return false;
    },
  };
  return { parser: new HTTP1Parser(handler, options), messages };
}

function parseAll(data: Buffer, splits: number[] = [], options = {}) {
  const { parser, messages } = collect(options);
  let error: unknown = null;
  try {
    let start = 0;
    for (const split of [...splits, data.length]) {
      parser.execute(data.subarray(start, split));
      start = split;
    }
  } catch (e) {
    error = e;
  }
  return { messages, error };
}

const corpus = JSON.parse(readFileSync(path.join(__dirname, "fixtures/http-requests.json"), "utf8")) as {
  cases: Array<{
    id: string;
    skip?: string;
    scan?: boolean;
    notes?: string[];
    raw_b64: string;
    strict: {
      result: string;
      error?: { code: number; reason: string };
      messages: Array<{ method: string; url: string; version: string; headers: Array<[string, string]>; body_b64: string; complete: boolean }>;
    };
  }>;
};

const WEAK = (JSON.parse(readFileSync(path.join(__dirname, "fixtures/conformance-weak.json"), "utf8")) as Record<string, Record<string, string>>)["http1-parser"] ?? {};

describe("HTTP1Parser on the llhttp corpus, fed as buffers (whole and split at every byte)", () => {
  const skipped = corpus.cases.filter((c) => ["upgrade", "h2-preface"].includes(c.strict.result));
  it.skip.each(skipped.map((c) => [c.id, c.strict.result] as const))("%s (skipped: %s requests are the server's to handle, not the parser's)", () => undefined);
  const cases = corpus.cases.filter((c) => !skipped.includes(c));

  /** Checks one split of the case; returns how it departs from llhttp's strict verdict, or null. */
  function check(testCase: (typeof cases)[number], data: Buffer, splits: number[]): string | null {
    const expected = testCase.strict.messages;
    const { messages, error } = parseAll(data, splits);
    // Expected: each complete message parsed identically, until an HTTP/1.1 message without
    // exactly one Host (our parser refuses it: RFC 9112 3.2) or the strict verdict's error.
    let index = 0;
    let refusedHost = false;
    for (const want of expected) {
      const hostBad = want.version === "1.1" && want.headers.filter(([k]) => k.toLowerCase() === "host").length !== 1;
      if (hostBad && (want.complete || (want as { headers_complete?: boolean }).headers_complete)) {
        refusedHost = true;
        break;
      }
      if (!want.complete) break;
      const got = messages[index++];
      if (got === undefined) return `refused a message llhttp accepts (${error instanceof Error ? error.message : "no error"})`;
      expect(got.method).toBe(want.method);
      expect(got.url).toBe(want.url);
      expect(got.body.toString("latin1")).toBe(Buffer.from(want.body_b64, "base64").toString("latin1"));
      for (const [name, value] of want.headers) {
        expect(got.headers.some(([n, v]) => n.toLowerCase() === name.toLowerCase() && v === value)).toBe(true);
      }
    }
    if (refusedHost) {
      expect(error).toBeInstanceOf(HTTPInputError);
    } else if (testCase.strict.result === "reject" && /method for/i.test(testCase.strict.error?.reason ?? "")) {
      // llhttp's fixed method table (ANNOUNCE is RTSP-only there): any token is a method
      // here, as in Tornado; the application answers 405 for methods it does not support.
      if (error === null) return "accepted a method token llhttp's table refuses";
      expect(error).toBeInstanceOf(HTTPInputError);
    } else if (testCase.strict.result === "reject" && testCase.strict.error?.code !== 5) {
      expect(error).toBeInstanceOf(HTTPInputError);
    } else if (testCase.strict.result === "reject" && testCase.strict.error?.code === 5) {
      // Data after Connection: close: the connection, not the parser, stops there.
    } else if (error !== null) {
      return `refused: ${error instanceof Error ? error.message : JSON.stringify(error)}`;
    }
    return null;
  }

  it.each(cases.map((c) => [c.id, c] as const))("%s", (_id, testCase) => {
    const data = Buffer.from(testCase.raw_b64, "base64");
    const splitsList: number[][] = [[]];
    if (testCase.scan) for (let i = 1; i < data.length; i++) splitsList.push([i]);
    const deviations = new Set(splitsList.map((splits) => check(testCase, data, splits)));
    // Every split gives the same verdict as the whole buffer.
    expect(deviations.size).toBe(1);
    const [deviation] = deviations;
    const listed = WEAK[testCase.id];
    if (deviation !== null && listed === undefined) throw new Error(`departs from llhttp and is not in fixtures/conformance-weak.json: ${deviation}`);
    if (deviation === null && listed !== undefined) throw new Error(`now matches llhttp: remove it from fixtures/conformance-weak.json (${listed})`);
  });
});

describe("HTTP1Parser limits and framing", () => {
  const head = (extra: string) => Buffer.from(`POST / HTTP/1.1\r\nHost: a\r\n${extra}\r\n`, "latin1");

  it("answers 431 for a head over maxHeaderSize, 414 for a long request line", () => {
    expect(parseAll(head(`X: ${"a".repeat(2000)}\r\n`), [], { maxHeaderSize: 1024 }).error).toBeInstanceOf(HTTPHeadersTooLargeError);
    expect(parseAll(Buffer.from(`GET /${"a".repeat(2000)} HTTP/1.1\r\n`), [], { maxHeaderSize: 1024 }).error).toBeInstanceOf(HTTPURITooLongError);
    // Split byte by byte, the limit still holds and nothing is quadratic.
    const big = head(`X: ${"a".repeat(5000)}\r\n`);
    const splits = Array.from({ length: big.length - 1 }, (_, i) => i + 1);
    expect(parseAll(big, splits, { maxHeaderSize: 4096 }).error).toBeInstanceOf(HTTPHeadersTooLargeError);
    expect(parseAll(big, splits, { maxHeaderSize: 8192 }).error).toBeNull();
  });

  it("answers 413 for a Content-Length or chunked total over maxBodySize", () => {
    expect(parseAll(head("Content-Length: 11\r\n"), [], { maxBodySize: 10 }).error).toBeInstanceOf(HTTPBodyTooLargeError);
    const chunked = Buffer.concat([head("Transfer-Encoding: chunked\r\n"), Buffer.from("6\r\naaaaaa\r\n6\r\naaaaaa\r\n0\r\n\r\n")]);
    expect(parseAll(chunked, [], { maxBodySize: 10 }).error).toBeInstanceOf(HTTPBodyTooLargeError);
    expect(parseAll(chunked, [], { maxBodySize: 12 }).messages[0]!.body.toString()).toBe("aaaaaaaaaaaa");
  });

  it("slices bodies at chunkSize and keeps chunk boundaries", () => {
    const { parser, messages } = collect({ chunkSize: 16 });
    const sizes: number[] = [];
    const original = (parser as unknown as { [k: string]: unknown });
    void original;
    const data = Buffer.concat([head("Content-Length: 50\r\n"), Buffer.alloc(50, 0x61)]);
    const collector = collect({ chunkSize: 16 });
    const handler = collector.parser;
    void handler;
    // Re-run with a handler that records slice sizes.
    const recording = new HTTP1Parser(
      { onHeaders: () => false, onBody: (chunk) => (sizes.push(chunk.length), false), onMessageComplete: () => false },
      { chunkSize: 16 },
    );
    recording.execute(data);
    expect(sizes).toEqual([16, 16, 16, 2]);
    sizes.length = 0;
    recording.execute(Buffer.concat([head("Transfer-Encoding: chunked\r\n"), Buffer.from(`14\r\n${"a".repeat(20)}\r\n1e\r\n${"b".repeat(30)}\r\n0\r\n\r\n`)]));
    expect(sizes).toEqual([16, 4, 16, 14]);
    expect(messages).toEqual([]);
    expect(parser.idle).toBe(true);
  });

  it.each([
    ["Content-Length: +10\r\n"],
    ["Content-Length: 1_0\r\n"],
    ["Content-Length: foo\r\n"],
    ["Content-Length: 5, 6\r\n"],
    ["Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"],
    ["Transfer-Encoding: gzip, chunked\r\n"],
    ["Transfer-Encoding: chunked\r\nContent-Length: 2\r\n"],
    ["Host: b\r\n"],
    ["X: a\x00b\r\n"],
    ["X : a\r\n"],
    ["X: a\r\n b\r\n"],
    ["X: a\rb\r\n"],
    ["X: a\nY: b\r\n"],
  ])("refuses %j", (extra) => {
    expect(parseAll(head(extra)).error).toBeInstanceOf(HTTPInputError);
  });

  it.each(["1_a", "0_2e", "-1", "", " 1", "1 ", "ffffffffffffffffffff", "1;", "1;a=\"b", "1;a b"])("refuses the chunk-size line %j", (line) => {
    const data = Buffer.concat([head("Transfer-Encoding: chunked\r\n"), Buffer.from(`${line}\r\na\r\n0\r\n\r\n`)]);
    expect(parseAll(data).error).toBeInstanceOf(HTTPInputError);
  });

  it("accepts chunk extensions and trailers, and pauses when asked", () => {
    const data = Buffer.concat([head("Transfer-Encoding: chunked\r\n"), Buffer.from('1;a=b;c="d\\"e" ;f\r\nX\r\n0\r\nTrailer: x\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n')]);
    const { messages, error } = parseAll(data);
    expect(error).toBeNull();
    expect(messages.map((m) => [m.url, m.body.toString(), m.complete])).toEqual([["/", "X", true], ["/next", "", true]]);
    let completions = 0;
    const pausing = new HTTP1Parser({ onHeaders: () => false, onBody: () => false, onMessageComplete: () => (completions++, true) });
    const stop = pausing.execute(data);
    expect(completions).toBe(1);
    expect(data.subarray(stop).toString()).toBe("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
  });
});
