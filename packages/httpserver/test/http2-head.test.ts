/**
 * The HTTP/2 head mappings fed directly: readRequestHead (node:http2's field list -> start
 * line, HTTPHeaders, limits) and toResponseHeaders (HTTPHeaders -> node:http2's object).
 */

import { HTTPHeaders, HTTPInputError } from "@tornado/httputil";
import { HTTPHeadersTooLargeError } from "../src/index";
import { CONNECT_REQUEST, readRequestHead } from "../src/http2/request-head";
import { toResponseHeaders } from "../src/http2/response-headers";

const GET = [":method", "GET", ":scheme", "https", ":authority", "example.com:8443", ":path", "/a?b=c"];

function read(extra: string[] = [], pseudo: string[] = GET, max = 65536) {
  const head = readRequestHead([...pseudo, ...extra], max);
  if (head === CONNECT_REQUEST) throw new Error("unexpected CONNECT");
  return head;
}

describe("readRequestHead", () => {
  it("makes the start line from the pseudo-headers and Host from :authority, first", () => {
    const head = read(["accept", "*/*", "x-two", "2"]);
    expect(head.startLine).toEqual({ method: "GET", path: "/a?b=c", version: "HTTP/2.0" });
    expect([...head.headers.allItems()]).toEqual([
      ["Host", "example.com:8443"],
      ["Accept", "*/*"],
      ["X-Two", "2"],
    ]);
    expect([head.contentLength, head.expectContinue]).toEqual([-1, false]);
  });

  it("joins cookie fields with '; ' and keeps repeated fields apart", () => {
    const head = read(["cookie", "a=1", "x-list", "1", "cookie", "b=2", "x-list", "2"]);
    expect(head.headers.get("Cookie")).toBe("a=1; b=2");
    expect(head.headers.getList("X-List")).toEqual(["1", "2"]);
  });

  it("takes a Host field that agrees with :authority, or stands in for it", () => {
    expect(read(["host", "EXAMPLE.com:8443"]).headers.getList("Host")).toEqual(["example.com:8443"]);
    const withoutAuthority = read(["host", "h.example"], [":method", "GET", ":scheme", "http", ":path", "/"]);
    expect(withoutAuthority.headers.get("Host")).toBe("h.example");
  });

  it.each([
    ["a Host that differs from :authority", ["host", "other.example"], GET, "Host header differs from :authority"],
    ["two Host fields", ["host", "example.com:8443", "host", "example.com:8443"], GET, "Multiple Host headers"],
    ["no Host and no :authority", [], [":method", "GET", ":scheme", "http", ":path", "/"], "Missing Host header"],
    ["userinfo in :authority", [], [":method", "GET", ":scheme", "http", ":authority", "u@h", ":path", "/"], "Invalid Host header"],
    ["a control character in a value", ["x-bad", "a\u0001b"], GET, "Invalid header value"],
    ["a non-digit Content-Length", ["content-length", "12a"], GET, "Only integer Content-Length is allowed"],
    ["a Content-Length of 17 digits", ["content-length", "1".repeat(17)], GET, "Only integer Content-Length is allowed"],
    ["a space in :path", [], [":method", "GET", ":scheme", "http", ":authority", "h", ":path", "/a b"], "Malformed HTTP request line"],
  ])("refuses %s with HTTPInputError (400)", (_name, extra, pseudo, message) => {
    expect(() => read(extra, pseudo)).toThrow(HTTPInputError);
    expect(() => read(extra, pseudo)).toThrow(message);
  });

  it("counts the header list as SETTINGS_MAX_HEADER_LIST_SIZE does (name + value + 32 per field): over it, 431", () => {
    const fields = [...GET, "x-pad", "p".repeat(100)];
    const size = fields.reduce((sum, text, i) => (i % 2 === 0 ? sum + text.length + fields[i + 1]!.length + 32 : sum), 0);
    expect(read(["x-pad", "p".repeat(100)], GET, size).headers.get("X-Pad")).toHaveLength(100);
    expect(() => read(["x-pad", "p".repeat(100)], GET, size - 1)).toThrow(HTTPHeadersTooLargeError);
    const error = (() => {
      try {
        read(["x-pad", "p".repeat(100)], GET, size - 1);
      } catch (caught) {
        return caught as HTTPHeadersTooLargeError;
      }
    })();
    expect(error?.statusCode).toBe(431);
  });

  it("reads Content-Length and Expect: 100-continue", () => {
    const head = read(["content-length", "42", "expect", "100-Continue"]);
    expect([head.contentLength, head.expectContinue]).toEqual([42, true]);
  });

  it("tells a plain CONNECT (no :path) apart", () => {
    expect(readRequestHead([":method", "CONNECT", ":authority", "example.com:443"], 65536)).toBe(CONNECT_REQUEST);
  });
});

describe("toResponseHeaders", () => {
  it("lower-cases names, keeps Set-Cookie values apart and joins other repeated fields", () => {
    const headers = new HTTPHeaders({ "Content-Type": "text/html" });
    headers.add("Set-Cookie", "a=1");
    headers.add("Set-Cookie", "b=2");
    headers.add("Link", "</a>");
    headers.add("Link", "</b>");
    expect(toResponseHeaders(200, headers)).toEqual({ ":status": 200, "content-type": "text/html", "set-cookie": ["a=1", "b=2"], link: "</a>,</b>" });
  });

  it("drops the HTTP/1 connection-specific fields, and TE unless it is 'trailers'", () => {
    const headers = new HTTPHeaders({
      Connection: "close",
      "Keep-Alive": "timeout=5",
      "Proxy-Connection": "keep-alive",
      "Transfer-Encoding": "chunked",
      Upgrade: "websocket",
      TE: "gzip",
      "X-Kept": "1",
    });
    expect(toResponseHeaders(204, headers)).toEqual({ ":status": 204, "x-kept": "1" });
    expect(toResponseHeaders(200, new HTTPHeaders({ TE: "trailers" }))).toEqual({ ":status": 200, te: "trailers" });
  });
});
