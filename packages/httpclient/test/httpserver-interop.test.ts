// The client against our own HTTPServer on loopback: the same behaviours as against node:http
// (redirects, streaming, chunked, gzip, basic auth, large bodies, timeouts, connection reuse).
import { gzipSync } from "node:zlib";
import { AsyncHTTPClient, HTTPStreamClosedError, HTTPTimeoutError } from "@tornado/httpclient";
import { HTTPHeaders, ResponseStartLine } from "@tornado/httputil";
import { HTTPServer, type HTTPServerRequest } from "@tornado/httpserver";

type Handler = (request: HTTPServerRequest, query: URLSearchParams) => void | Promise<void>;

function respond(request: HTTPServerRequest, code: number, body: Buffer | string = "", extra: Record<string, string> = {}): void {
  const data = Buffer.from(body);
  const headers = new HTTPHeaders({ "Content-Length": String(data.length), ...extra });
  void request.connection!.writeHeaders(new ResponseStartLine("HTTP/1.1", code, code === 200 ? "OK" : "Other"), headers, data);
  request.connection!.finish();
}

const connections = new Set<object>();
const hanging: HTTPServerRequest[] = [];
const routes: Record<string, Handler> = {
  "/hello": (request) => respond(request, 200, "Hello world!", { "Content-Type": "text/plain" }),
  "/echo": (request) => respond(request, 200, request.body),
  "/auth": (request) => respond(request, 200, request.headers.get("Authorization") ?? ""),
  "/method": (request) => respond(request, 200, request.method === "HEAD" ? "" : request.method + request.body.toString()),
  "/redirect": (request, query) => respond(request, Number(query.get("status")), "", { Location: query.get("url")! }),
  "/countdown": (request, query) => {
    const count = Number(query.get("n"));
    if (count > 0) respond(request, 302, "", { Location: `/countdown?n=${count - 1}` });
    else respond(request, 200, "Zero");
  },
  "/chunked": async (request) => {
    const connection = request.connection!;
    await connection.writeHeaders(new ResponseStartLine("HTTP/1.1", 200, "OK"), new HTTPHeaders(), Buffer.from("asdf"));
    await connection.write(Buffer.from("qwer"));
    connection.finish();
  },
  "/gzip": (request) => respond(request, 200, gzipSync("asdfqwer".repeat(50)), { "Content-Encoding": "gzip" }),
  "/large": (request, query) => respond(request, 200, Buffer.alloc(Number(query.get("size")), "z")),
  "/connection": (request) => {
    connections.add(request.serverConnection!);
    respond(request, 200, String(connections.size));
  },
  "/never": (request) => {
    hanging.push(request);
  },
};

let server: HTTPServer;
let base: string;
let client: AsyncHTTPClient;

beforeAll(async () => {
  server = new HTTPServer(async (request) => {
    const url = new URL(request.uri, "http://x");
    const handler = routes[url.pathname];
    if (handler === undefined) respond(request, 404, "not found");
    else await handler(request, url.searchParams);
  });
  await server.listen(0, "127.0.0.1");
  base = `http://127.0.0.1:${server.boundPorts()[0]}`;
});

afterAll(async () => {
  server.stop();
  await server.closeAllConnections();
});

beforeEach(() => {
  client = new AsyncHTTPClient();
});

afterEach(async () => {
  await client.close();
});

test("GET, headers, reason", async () => {
  const response = await client.fetch(`${base}/hello`);
  expect(response.code).toBe(200);
  expect(response.reason).toBe("OK");
  expect(response.headers.get("content-type")).toBe("text/plain");
  expect(response.text).toBe("Hello world!");
});

test("POST body echo, unicode", async () => {
  expect((await client.fetch(`${base}/echo`, { method: "POST", body: "h\u00e9llo" })).text).toBe("h\u00e9llo");
});

test("basic auth", async () => {
  const response = await client.fetch(`${base}/auth`, { authUsername: "Aladdin", authPassword: "open sesame" });
  expect(response.text).toBe("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
});

test("chunked response with streamingCallback", async () => {
  const chunks: Buffer[] = [];
  const response = await client.fetch(`${base}/chunked`, { streamingCallback: (chunk) => chunks.push(chunk) });
  expect(Buffer.concat(chunks).toString()).toBe("asdfqwer");
  expect(response.body.length).toBe(0);
  expect((await client.fetch(`${base}/chunked`)).text).toBe("asdfqwer");
});

test("gzip decoded", async () => {
  const response = await client.fetch(`${base}/gzip`);
  expect(response.text).toBe("asdfqwer".repeat(50));
  expect(response.headers.get("X-Consumed-Content-Encoding")).toBe("gzip");
});

test("redirects: countdown, max, 303 and 307 semantics", async () => {
  const followed = await client.fetch(`${base}/countdown?n=3`);
  expect(followed.text).toBe("Zero");
  expect(followed.effectiveUrl).toBe(`${base}/countdown?n=0`);
  const stopped = await client.fetch(`${base}/countdown?n=5`, { maxRedirects: 2, raiseError: false });
  expect(stopped.code).toBe(302);
  expect(stopped.effectiveUrl).toBe(`${base}/countdown?n=3`);
  const see = await client.fetch(`${base}/redirect?status=303&url=/method`, { method: "POST", body: "b" });
  expect(see.text).toBe("GET");
  const temp = await client.fetch(`${base}/redirect?status=307&url=/method`, { method: "POST", body: "b" });
  expect(temp.text).toBe("POSTb");
  const perm = await client.fetch(`${base}/redirect?status=308&url=/method`, { method: "PUT", body: "c" });
  expect(perm.text).toBe("PUTc");
});

test("large bodies both ways (8 MiB)", async () => {
  const size = 8 * 1024 * 1024;
  expect((await client.fetch(`${base}/large?size=${size}`)).body.length).toBe(size);
  const upload = Buffer.alloc(size, "u");
  const echoed = await client.fetch(`${base}/echo`, { method: "PUT", body: upload });
  expect(echoed.body.equals(upload)).toBe(true);
});

test("connections are reused", async () => {
  connections.clear();
  let last = "";
  for (let i = 0; i < 10; i++) last = (await client.fetch(`${base}/connection`)).text;
  expect(Number(last)).toBeLessThanOrEqual(2);
});

test("requestTimeout against a handler that never answers", async () => {
  const error = await client.fetch(`${base}/never`, { requestTimeout: 0.1 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HTTPTimeoutError);
  expect((error as HTTPTimeoutError).message).toBe("HTTP 599: Timeout during request");
});

test("a server that closes the connection mid-request gives HTTPStreamClosedError", async () => {
  const closing = new HTTPServer((request) => {
    (request.connection as unknown as { detach(): { socket: import("node:net").Socket } }).detach().socket.destroy();
  });
  await closing.listen(0, "127.0.0.1");
  try {
    const error = await client.fetch(`http://127.0.0.1:${closing.boundPorts()[0]}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPStreamClosedError);
  } finally {
    closing.stop();
    await closing.closeAllConnections();
  }
});
