// More cases ported from httpclient_test.py and simple_httpclient_test.py, on node:http and
// raw sockets on loopback.
import * as http from "node:http";
import * as os from "node:os";
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import { AsyncHTTPClient, HTTPRequest } from "@tornado/httpclient";
import { startServer, type TestServer } from "./helpers";

let server: TestServer;
let client: AsyncHTTPClient;

beforeEach(async () => {
  server = await startServer({
    "/non_ascii_header": (_request, response) => {
      response.setHeader("Foo", "\u00e9");
      response.end();
    },
    "/host_echo": (request, response) => response.end(request.headers.host ?? ""),
    "/no_content": (_request, response) => {
      response.statusCode = 204;
      response.end();
    },
  });
  client = new AsyncHTTPClient();
});

afterEach(async () => {
  await client.close();
  await server.close();
});

async function rawServer(answer: string): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const listener = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("data", () => socket.end(answer));
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(listener.address() as AddressInfo).port}/`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => listener.close(resolve));
    },
  };
}

test("a non-ASCII header value is read as latin-1 (test_non_ascii_header)", async () => {
  const response = await client.fetch(server.url("/non_ascii_header"));
  expect(response.headers.get("Foo")).toBe("\u00e9");
});

test("a response's request can be fetched again (test_reuse_request_from_response)", async () => {
  const first = await client.fetch(server.url("/hello"));
  const second = await client.fetch(first.request);
  expect(second.text).toBe("Hello world!");
});

test("fetch does not change the caller's headers (test_header_reuse)", async () => {
  const headers = { "User-Agent": "Foo" };
  await client.fetch(server.url("/hello"), { headers });
  expect(headers).toEqual({ "User-Agent": "Foo" });
  const request = new HTTPRequest(server.url("/post"), { method: "POST", body: "arg1=a&arg2=b", headers: { "X-A": "1" } });
  await client.fetch(request);
  expect(request.headers).toEqual({ "X-A": "1" });
});

test("the Host header is host:port (test_host_header)", async () => {
  expect((await client.fetch(server.url("/host_echo"))).text).toBe(`127.0.0.1:${server.port}`);
});

test("204 No Content (test_no_content)", async () => {
  const response = await client.fetch(server.url("/no_content"));
  expect(response.code).toBe(204);
  expect(response.body.length).toBe(0);
});

test("an empty gzip-labelled answer (304) with a streamingCallback completes", async () => {
  const raw = await rawServer("HTTP/1.1 304 Not Modified\r\nContent-Encoding: gzip\r\n\r\n");
  try {
    const chunks: Buffer[] = [];
    const response = await client.fetch(raw.url, { raiseError: false, streamingCallback: (chunk) => chunks.push(chunk) });
    expect(response.code).toBe(304);
    expect(chunks).toEqual([]);
    const buffered = await client.fetch(raw.url, { raiseError: false });
    expect(buffered.body.length).toBe(0);
  } finally {
    await raw.close();
  }
});

test("HEAD and OPTIONS requests (test_head_request, test_options_request)", async () => {
  const head = await client.fetch(server.url("/hello"), { method: "HEAD" });
  expect(head.code).toBe(200);
  expect(head.headers.get("Content-Type")).toBe("text/plain");
  expect(head.body.length).toBe(0);
  const options = await client.fetch(server.url("/all_methods"), { method: "OPTIONS" });
  expect(options.text).toBe("OPTIONS");
});

test("an HTTP/1.0 body without Content-Length is read until close (http1connection_test)", async () => {
  const raw = await rawServer("HTTP/1.0 200 OK\r\n\r\nhello");
  try {
    const response = await client.fetch(raw.url);
    expect(response.text).toBe("hello");
  } finally {
    await raw.close();
  }
});

test("a 304 carrying Content-Length completes (undici would flag a length mismatch)", async () => {
  const raw = await rawServer("HTTP/1.1 304 Not Modified\r\nContent-Length: 42\r\nETag: \"x\"\r\n\r\n");
  try {
    const response = await client.fetch(raw.url, { raiseError: false });
    expect(response.code).toBe(304);
    expect(response.headers.get("ETag")).toBe('"x"');
  } finally {
    await raw.close();
  }
});

test("streaming with followed redirects sees only the final body (test_streaming_follow_redirects)", async () => {
  const chunks: string[] = [];
  const response = await client.fetch(server.url("/countdown/2"), { streamingCallback: (chunk) => chunks.push(chunk.toString()) });
  expect(chunks.join("")).toBe("Zero");
  expect(response.body.length).toBe(0);
});

const hasIPv6Loopback = Object.values(os.networkInterfaces())
  .flat()
  .some((info) => info?.address === "::1");

(hasIPv6Loopback ? test : test.skip)("IPv6 loopback (test_ipv6; needs ::1 on this machine)", async () => {
  const v6 = http.createServer((_request, response) => response.end("over v6"));
  await new Promise<void>((resolve, reject) => {
    v6.once("error", reject);
    v6.listen(0, "::1", () => resolve());
  });
  try {
    const response = await client.fetch(`http://[::1]:${(v6.address() as AddressInfo).port}/`);
    expect(response.text).toBe("over v6");
  } finally {
    v6.closeAllConnections();
    await new Promise((resolve) => v6.close(resolve));
  }
});

test("response times (test_response_times)", async () => {
  const before = Date.now() / 1000;
  const response = await client.fetch(server.url("/hello"));
  expect(response.startTime).toBeGreaterThanOrEqual(before - 1);
  expect(response.startTime).toBeLessThanOrEqual(Date.now() / 1000);
  expect(response.requestTime).toBeGreaterThanOrEqual(0);
  expect(String(response)).toMatch(/^HTTPResponse\(code=200, reason="OK"/);
});
