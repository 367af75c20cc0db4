// Option validation: bad options throw HTTPRequestOptionError before anything is sent
// (httpclient_test.py: test_body_sanity_checks, test_unsupported_auth_mode, test_header_types,
// HTTPRequestTestCase).
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import {
  AsyncHTTPClient,
  HTTPClientClosedError,
  HTTPRequest,
  HTTPRequestOptionError,
  HTTP_REQUEST_DEFAULTS,
  type HTTPRequestOptions,
} from "@tornado/httpclient";

// A listener that counts connections: validation failures must never reach it.
let listener: net.Server;
let url: string;
let connections = 0;
let client: AsyncHTTPClient;

beforeAll(async () => {
  listener = net.createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/`;
  client = new AsyncHTTPClient();
});

afterAll(async () => {
  await client.close();
  await new Promise((resolve) => listener.close(resolve));
  expect(connections).toBe(0);
});

async function rejection(options: HTTPRequestOptions & { raiseError?: boolean }, target = url): Promise<HTTPRequestOptionError> {
  const error = await client.fetch(target, options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HTTPRequestOptionError);
  return error as HTTPRequestOptionError;
}

test("HTTP_REQUEST_DEFAULTS are Tornado's", () => {
  expect(HTTP_REQUEST_DEFAULTS).toMatchObject({
    method: "GET",
    connectTimeout: 20,
    requestTimeout: 20,
    followRedirects: true,
    maxRedirects: 5,
    decompressResponse: true,
    validateCert: true,
  });
});

test("body sanity checks (test_body_sanity_checks)", async () => {
  for (const method of ["POST", "PUT", "PATCH"]) {
    const error = await rejection({ method });
    expect(error.option).toBe("body");
    expect(error.message).toBe(`body must be given for method ${method} (unless allowNonstandardMethods is true)`);
  }
  for (const method of ["GET", "HEAD", "DELETE", "OPTIONS"]) {
    const error = await rejection({ method, body: "data" });
    expect(error.message).toBe(`body must not be given for method ${method} (unless allowNonstandardMethods is true)`);
  }
});

test("an unknown method needs allowNonstandardMethods", async () => {
  const error = await rejection({ method: "FROB" });
  expect(error.option).toBe("method");
  expect(error.message).toMatch(/unknown method "FROB"/);
});

test("a method that is not a token", async () => {
  expect((await rejection({ method: "GE T" })).message).toBe('method must be an HTTP method token, got "GE T"');
});

test("timeouts must be finite and non-negative", async () => {
  expect((await rejection({ requestTimeout: -1 })).message).toBe(
    "requestTimeout must be a finite, non-negative number of seconds, got -1",
  );
  expect((await rejection({ connectTimeout: Number.NaN })).option).toBe("connectTimeout");
  expect((await rejection({ requestTimeout: "5" as unknown as number })).message).toMatch(/got "5"/);
});

test("malformed and non-http URLs", async () => {
  expect((await rejection({}, "not a url")).message).toBe('url must be an absolute http or https URL, got "not a url"');
  expect((await rejection({}, "ftp://127.0.0.1/")).message).toBe('url scheme must be http or https, got "ftp://127.0.0.1/"');
  expect(() => new HTTPRequest("/relative")).toThrow(HTTPRequestOptionError);
});

test("unsupported auth mode (test_unsupported_auth_mode)", async () => {
  const error = await rejection({ authUsername: "a", authMode: "digest" as "basic" });
  expect(error.option).toBe("authMode");
});

test("header names and values are checked (test_header_types)", async () => {
  expect((await rejection({ headers: { "Bad Name": "x" } })).option).toBe("headers");
  expect((await rejection({ headers: { "X-Foo": "a\r\nInjected: 1" } })).message).toMatch(/CR, LF or NUL/);
  expect((await rejection({ headers: { "X-Foo": {} as unknown as string } })).message).toMatch(/must be strings/);
  expect((await rejection({ headers: [] as unknown as Record<string, string> })).option).toBe("headers");
  expect((await rejection({ userAgent: "a\nb" })).option).toBe("userAgent");
});

test("unknown options and wrong types", async () => {
  expect((await rejection({ requestTimout: 1 } as unknown as HTTPRequestOptions)).message).toBe(
    'unknown request option "requestTimout"',
  );
  expect((await rejection({ followRedirects: "yes" as unknown as boolean })).message).toBe(
    'followRedirects must be a boolean, got "yes"',
  );
  expect((await rejection({ maxRedirects: 1.5 })).option).toBe("maxRedirects");
  expect((await rejection({ proxyHost: "127.0.0.1" })).message).toBe("proxyHost and proxyPort must be given together");
  expect((await rejection({ proxyHost: "127.0.0.1", proxyPort: 70000 })).option).toBe("proxyPort");
  expect((await rejection({ body: 5 as unknown as string, method: "POST" })).option).toBe("body");
  expect((await rejection({ ifModifiedSince: new Date("nope") })).option).toBe("ifModifiedSince");
  expect((await rejection({ raiseError: "no" as unknown as boolean })).option).toBe("raiseError");
});

test("options cannot be combined with an HTTPRequest object", async () => {
  const error = await client.fetch(new HTTPRequest(url), { method: "POST" }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HTTPRequestOptionError);
});

test("an HTTPRequest changed after construction is checked again at fetch", async () => {
  const request = new HTTPRequest(url);
  request.requestTimeout = -1;
  const error = await client.fetch(request).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HTTPRequestOptionError);
  expect((error as HTTPRequestOptionError).option).toBe("requestTimeout");
  await expect(client.fetch(42 as unknown as string)).rejects.toBeInstanceOf(HTTPRequestOptionError);
});

test("client options and defaults are validated", () => {
  expect(() => new AsyncHTTPClient({ maxClients: 0 })).toThrow("maxClients must be a positive integer, got 0");
  expect(() => new AsyncHTTPClient({ defaults: { requestTimeout: -5 } })).toThrow(HTTPRequestOptionError);
});

test("fetch after close rejects with HTTPClientClosedError", async () => {
  const closed = new AsyncHTTPClient();
  await closed.close();
  const error = await closed.fetch(url).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HTTPClientClosedError);
  expect((error as HTTPClientClosedError).code).toBe("TORNADO_ERR_HTTPCLIENT_CLOSED");
  expect(closed.closed).toBe(true);
});

test("HTTPRequest keeps its options as public fields (HTTPRequestTestCase)", () => {
  const request = new HTTPRequest("http://example.com/", { method: "PUT", body: "foo", headers: { A: "b" } });
  expect(request.url).toBe("http://example.com/");
  expect(request.method).toBe("PUT");
  expect(request.body).toBe("foo");
  expect(request.headers).toEqual({ A: "b" });
  expect(request.requestTimeout).toBeUndefined();
});
