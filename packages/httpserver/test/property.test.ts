// Property-based tests (fast-check) of HTTP1Parser: a request parses the same however its
// bytes are chunked; arbitrary bytes either parse or raise HTTPInputError, never anything else.
import fc from "fast-check";
import { HTTPInputError, type HTTPHeaders, type RequestStartLine } from "@tornado/httputil";
import { HTTP1Parser, type HTTP1ParserHandler } from "../src/http1-parser";

interface Parsed {
  method: string;
  path: string;
  headers: Array<[string, string]>;
  body: string;
}

/** Parses `data` cut at `cuts`; returns the messages and the error (null when none). */
function parse(data: Buffer, cuts: number[]): { messages: Parsed[]; error: unknown } {
  const messages: Parsed[] = [];
  const handler: HTTP1ParserHandler = {
    onHeaders(startLine: RequestStartLine, headers: HTTPHeaders) {
      messages.push({ method: startLine.method, path: startLine.path, headers: [...headers.allItems()], body: "" });
      return false;
    },
    onBody(chunk: Buffer) {
      messages[messages.length - 1]!.body += chunk.toString("latin1");
      return false;
    },
    onMessageComplete: () => false,
  };
  const parser = new HTTP1Parser(handler, { chunkSize: 7 });
  let error: unknown = null;
  try {
    let start = 0;
    for (const cut of [...cuts.filter((cut) => cut < data.length).sort((a, b) => a - b), data.length]) {
      parser.execute(data.subarray(start, cut));
      start = cut;
    }
  } catch (caught) {
    error = caught;
  }
  return { messages, error };
}

const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
const fieldValue = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,30}[\x21-\x7e])?$/);
const request = fc.record({
  method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"),
  path: fc.stringMatching(/^\/[A-Za-z0-9._~%/?=&-]{0,40}$/),
  headers: fc.array(fc.tuple(token.filter((name) => !/^(host|content-length|transfer-encoding|connection|expect|upgrade)$/i.test(name)), fieldValue), { maxLength: 8 }),
  body: fc.string({ maxLength: 200 }).map((text) => Buffer.from(text).toString("latin1")),
  chunked: fc.boolean(),
});

function serialize(r: { method: string; path: string; headers: Array<[string, string]>; body: string; chunked: boolean }): Buffer {
  const lines = [`${r.method} ${r.path} HTTP/1.1`, "Host: example.com", ...r.headers.map(([name, value]) => `${name}: ${value}`)];
  let body = r.body;
  if (r.chunked) {
    lines.push("Transfer-Encoding: chunked");
    const pieces: string[] = [];
    for (let i = 0; i < r.body.length; i += 13) pieces.push(`${Math.min(13, r.body.length - i).toString(16)}\r\n${r.body.slice(i, i + 13)}\r\n`);
    body = pieces.join("") + "0\r\n\r\n";
  } else {
    lines.push(`Content-Length: ${r.body.length}`);
  }
  return Buffer.from(lines.join("\r\n") + "\r\n\r\n" + body, "latin1");
}

describe("HTTP1Parser properties", () => {
  it("parses pipelined requests the same in one buffer and in any chunking", () => {
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(2000), { maxLength: 12 }), (requests, cuts) => {
        const data = Buffer.concat(requests.map(serialize));
        const whole = parse(data, []);
        expect(whole.error).toBeNull();
        expect(whole.messages.map((m) => [m.method, m.path, m.body])).toEqual(requests.map((r) => [r.method, r.path, r.body]));
        expect(parse(data, cuts)).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it("answers arbitrary bytes with messages or an HTTPInputError, never another error, in any chunking", () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((array) => Buffer.from(array)),
      // Near-valid input: a real request with bytes changed.
      fc.tuple(request, fc.array(fc.tuple(fc.nat(400), fc.integer({ min: 0, max: 255 })), { maxLength: 4 })).map(([r, edits]) => {
        const data = serialize(r);
        for (const [at, value] of edits) data[at % data.length] = value;
        return data;
      }),
    );
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(400), { maxLength: 8 }), (data, cuts) => {
        const whole = parse(data, []);
        if (whole.error !== null) expect(whole.error).toBeInstanceOf(HTTPInputError);
        const chunked = parse(data, cuts);
        if (chunked.error !== null) expect(chunked.error).toBeInstanceOf(HTTPInputError);
        // Chunking changes nothing: the same messages, the same verdict.
        expect(chunked.messages).toEqual(whole.messages);
        expect(chunked.error === null).toBe(whole.error === null);
      }),
      { numRuns: 500 },
    );
  });
});
