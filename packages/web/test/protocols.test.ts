/**
 * The main cases of the web suite as ONE suite, run against one Application over HTTP/1.1,
 * over HTTP/2 with prior knowledge (h2c) and over HTTP/2 on TLS (ALPN) with Node's client and
 * with @tornado/httpclient (undici, allowH2), all on servers started with `http2: true`: routing, arguments, cookies, redirects, errors, static files with ranges,
 * gzip, streamed request bodies, flush. The application does not know which protocol it
 * serves, except through `request.version`.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import * as http2 from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { appLog, LogLevel, setLogHandler, type LogRecord } from "@tornado/ioloop";
import { ExpectLog, HTTPTestServer } from "@tornado/testing";
import { Application, HTTPError, RequestHandler, streamRequestBody, url } from "@tornado/web";

const KEY = readFileSync(join(__dirname, "..", "..", "httpserver", "test", "fixtures", "test-key.pem"));
const CERT = readFileSync(join(__dirname, "..", "..", "httpserver", "test", "fixtures", "test-cert.pem"));

interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One protocol's client: a request in, the whole response out. */
interface Client {
  request(path: string, options?: RequestOptions): Promise<Response>;
  close(): Promise<void>;
}

function http1Client(port: number): Client {
  const agent = new http.Agent({ keepAlive: true });
  return {
    request: (path, options = {}) =>
      new Promise((resolve, reject) => {
        const request = http.request({ host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: options.headers, agent }, (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            const body = Buffer.concat(chunks);
            resolve({ status: response.statusCode!, headers: response.headers, body, text: body.toString() });
          });
        });
        request.on("error", reject);
        request.end(options.body);
      }),
    close: async () => agent.destroy(),
  };
}

/** @tornado/httpclient through the test server's own client (HTTPTestServer.fetch). */
function tornadoClient(server: HTTPTestServer): Client {
  return {
    request: async (path, options = {}) => {
      const response = await server.fetch(path, {
        method: options.method ?? "GET",
        headers: options.headers,
        body: options.body,
        followRedirects: false,
        decompressResponse: false,
        allowNonstandardMethods: true,
      });
      const headers: Record<string, string | string[]> = {};
      for (const name of response.headers.keys()) {
        const lower = name.toLowerCase();
        headers[lower] = lower === "set-cookie" ? response.headers.getList(name) : response.headers.get(name)!;
      }
      return { status: response.code, headers, body: response.body, text: response.body.toString() };
    },
    close: async () => {},
  };
}

function http2Client(port: number, tls: boolean): Client {
  const session = tls
    ? http2.connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false })
    : http2.connect(`http://127.0.0.1:${port}`);
  session.on("error", () => {});
  return {
    request: (path, options = {}) =>
      new Promise((resolve, reject) => {
        const headers: http2.OutgoingHttpHeaders = { ":method": options.method ?? "GET", ":path": path };
        for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
        const stream = session.request(headers);
        const chunks: Buffer[] = [];
        let head: http2.IncomingHttpHeaders = {};
        stream.on("response", (received) => (head = received));
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("error", reject);
        stream.on("end", () => {
          const body = Buffer.concat(chunks);
          const { ":status": status, ...rest } = head;
          resolve({ status: Number(status), headers: rest, body, text: body.toString() });
        });
        stream.end(options.body);
      }),
    close: () =>
      new Promise((resolve) => {
        if (session.destroyed) return resolve();
        session.once("close", () => resolve());
        session.close();
      }),
  };
}

// ---------------------------------------------------------------- the application

class VersionHandler extends RequestHandler {
  override get() {
    this.write({ version: this.request.version, protocol: this.request.protocol });
  }
}

class UserHandler extends RequestHandler {
  override get(id: string, tab: string) {
    this.write(`user ${id} ${tab} ${this.reverseUrl("user", "7", "posts")}`);
  }
}

class ArgumentsHandler extends RequestHandler {
  override get() {
    this.write({ a: this.getArguments("a"), b: this.getArgument("b", "default"), required: this.getArgument("required") });
  }
  override post() {
    const files = Object.fromEntries(Object.entries(this.request.files).map(([name, list]) => [name, list.map((file) => [file.filename, file.body.toString()])]));
    this.write({ field: this.getBodyArguments("field"), query: this.getQueryArgument("q", null), files });
  }
}

class CookieHandler extends RequestHandler {
  override get() {
    if (this.getArgument("set", null) !== null) {
      this.setCookie("plain", "one");
      this.setCookie("other", "two", { path: "/cookies" });
      this.setSignedCookie("signed", "secret value");
      this.write("set");
      return;
    }
    this.write({ plain: this.getCookie("plain") ?? null, signed: this.getSignedCookie("signed") });
  }
}

class RedirectingHandler extends RequestHandler {
  override get() {
    return this.redirect("/version", this.getArgument("permanent", null) !== null);
  }
}

class ErrorsHandler extends RequestHandler {
  override get(kind: string) {
    if (kind === "forbidden") throw new HTTPError(403, "not for you");
    if (kind === "custom") return this.sendError(418);
    throw new Error("kaboom");
  }
}

class GzipHandler extends RequestHandler {
  override get() {
    this.setHeader("Content-Type", "text/plain");
    this.write("tornado ".repeat(500));
  }
}

class FlushHandler extends RequestHandler {
  override async get() {
    this.setHeader("Content-Type", "text/plain");
    this.write("first;");
    await this.flush();
    this.write("second;");
    await this.flush();
    this.write("third");
  }
}

@streamRequestBody
class StreamingHandler extends RequestHandler {
  #bytes = 0;
  #chunks = 0;
  override async dataReceived(chunk: Buffer) {
    this.#bytes += chunk.length;
    this.#chunks++;
    // A slow consumer: the connection must wait for it.
    await new Promise((resolve) => setImmediate(resolve));
  }
  override put() {
    this.write({ bytes: this.#bytes, chunked: this.#chunks > 1 });
  }
}

const PROTOCOLS: Array<[string, { tls: boolean; connect: (server: HTTPTestServer) => Client; version: string }]> = [
  ["HTTP/1.1", { tls: false, connect: (server) => http1Client(server.port), version: "HTTP/1.1" }],
  ["h2c (prior knowledge)", { tls: false, connect: (server) => http2Client(server.port, false), version: "HTTP/2.0" }],
  ["h2 (TLS, ALPN)", { tls: true, connect: (server) => http2Client(server.port, true), version: "HTTP/2.0" }],
  ["h2 (TLS, ALPN) from @tornado/httpclient", { tls: true, connect: (server) => tornadoClient(server), version: "HTTP/2.0" }],
];

// Access lines and the handlers' warnings are kept; afterAll checks that the only errors were
// the ones the cases provoke.
const records: LogRecord[] = [];
let restoreLogs: ReturnType<typeof setLogHandler>;
beforeAll(() => (restoreLogs = setLogHandler((record) => records.push(record))));
afterAll(() => {
  setLogHandler(restoreLogs);
  const errors = records.filter((record) => record.level >= LogLevel.ERROR).map((record) => record.message);
  expect(errors).toEqual(Array(PROTOCOLS.length).fill(expect.stringMatching(/^500 GET \/error\/crash /)));
});

describe.each(PROTOCOLS)("over %s", (_name, protocol) => {
  let server: HTTPTestServer;
  let client: Client;
  let staticRoot: string;
  const STATIC_TEXT = "0123456789abcdefghij";

  beforeAll(async () => {
    staticRoot = mkdtempSync(join(tmpdir(), "tornado-protocols-"));
    writeFileSync(join(staticRoot, "digits.txt"), STATIC_TEXT);
    const app = new Application(
      [
        ["/version", VersionHandler],
        url("/user/([0-9]+)/([a-z]+)", UserHandler, undefined, "user"),
        ["/arguments", ArgumentsHandler],
        ["/cookies", CookieHandler],
        ["/redirect", RedirectingHandler],
        ["/error/([a-z]+)", ErrorsHandler],
        ["/gzip", GzipHandler],
        ["/flush", FlushHandler],
        ["/stream", StreamingHandler],
      ],
      { cookieSecret: "0123456789abcdef", staticPath: staticRoot, compressResponse: true },
    );
    server = await HTTPTestServer.start(app, {
      httpServerOptions: { http2: true },
      clientOptions: { allowH2: true },
      ...(protocol.tls ? { sslOptions: { key: KEY, cert: CERT } } : {}),
    });
    client = protocol.connect(server);
  });

  afterAll(async () => {
    await client.close();
    await server.stop();
    rmSync(staticRoot, { recursive: true, force: true });
  });

  it("tells the handler which protocol it serves", async () => {
    const response = await client.request("/version");
    expect(JSON.parse(response.text)).toEqual({ version: protocol.version, protocol: protocol.tls ? "https" : "http" });
  });

  it("routes with path arguments and reverses URLs; 404 elsewhere", async () => {
    expect((await client.request("/user/42/profile")).text).toBe("user 42 profile /user/7/posts");
    const missing = await client.request("/nowhere");
    expect(missing.status).toBe(404);
    expect(missing.text).toContain("404: Not Found");
  });

  it("reads query, body and multipart arguments; a missing one is 400", async () => {
    const query = await client.request("/arguments?a=1&a=2&required=x");
    expect(JSON.parse(query.text)).toEqual({ a: ["1", "2"], b: "default", required: "x" });
    expect((await client.request("/arguments")).status).toBe(400);
    const form = await client.request("/arguments?q=qq", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "field=v%C3%A9&field=w",
    });
    expect(JSON.parse(form.text)).toEqual({ field: ["vé", "w"], query: "qq", files: {} });
    const boundary = "----tornado";
    const multipart = [
      `--${boundary}\r\nContent-Disposition: form-data; name="field"\r\n\r\nvalue\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile body\r\n`,
      `--${boundary}--\r\n`,
    ].join("");
    const upload = await client.request("/arguments", {
      method: "POST",
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
      body: multipart,
    });
    expect(JSON.parse(upload.text)).toEqual({ field: ["value"], query: null, files: { upload: [["a.txt", "file body"]] } });
  });

  it("sets several cookies and reads them back, signed ones included", async () => {
    const set = await client.request("/cookies?set=1");
    const cookies = set.headers["set-cookie"] as string[];
    expect(cookies).toHaveLength(3);
    expect(cookies[0]).toBe("plain=one; Path=/");
    expect(cookies[1]).toBe("other=two; Path=/cookies");
    const jar = cookies.map((cookie) => cookie.split(";")[0]).join("; ");
    const read = await client.request("/cookies", { headers: { Cookie: jar } });
    expect(JSON.parse(read.text)).toEqual({ plain: "one", signed: "secret value" });
  });

  it("redirects with 302, and 301 when permanent", async () => {
    const found = await client.request("/redirect");
    expect([found.status, found.headers.location]).toEqual([302, "/version"]);
    const moved = await client.request("/redirect?permanent=1");
    expect([moved.status, moved.headers.location]).toEqual([301, "/version"]);
  });

  it("answers HTTPError, sendError, uncaught exceptions and unsupported methods", async () => {
    const forbidden = await client.request("/error/forbidden");
    expect(forbidden.status).toBe(403);
    expect((await client.request("/error/custom")).status).toBe(418);
    const crashed = await ExpectLog.run(appLog, /Uncaught exception GET \/error\/crash/, () => client.request("/error/crash"));
    expect([crashed.status, crashed.text]).toEqual([500, expect.stringContaining("500: Internal Server Error")]);
    expect((await client.request("/version", { method: "DELETE" })).status).toBe(405);
  });

  it("serves static files whole, by range, and 304 for a known ETag; HEAD without a body", async () => {
    const whole = await client.request("/static/digits.txt");
    expect([whole.status, whole.text, whole.headers["accept-ranges"]]).toEqual([200, STATIC_TEXT, "bytes"]);
    const range = await client.request("/static/digits.txt", { headers: { Range: "bytes=2-5" } });
    expect([range.status, range.text, range.headers["content-range"], range.headers["content-length"]]).toEqual([206, "2345", "bytes 2-5/20", "4"]);
    const suffix = await client.request("/static/digits.txt", { headers: { Range: "bytes=-3" } });
    expect([suffix.status, suffix.text]).toEqual([206, "hij"]);
    const unsatisfiable = await client.request("/static/digits.txt", { headers: { Range: "bytes=50-" } });
    expect([unsatisfiable.status, unsatisfiable.headers["content-range"]]).toEqual([416, "bytes */20"]);
    const etag = whole.headers.etag as string;
    expect((await client.request("/static/digits.txt", { headers: { "If-None-Match": etag } })).status).toBe(304);
    const head = await client.request("/static/digits.txt", { method: "HEAD" });
    expect([head.status, head.headers["content-length"], head.body.length]).toEqual([200, "20", 0]);
  });

  it("gzips a compressible response for a client that accepts it", async () => {
    const plain = await client.request("/gzip");
    expect([plain.headers["content-encoding"], plain.text]).toEqual([undefined, "tornado ".repeat(500)]);
    const zipped = await client.request("/gzip", { headers: { "Accept-Encoding": "gzip" } });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers.vary).toBe("Accept-Encoding");
    expect(gunzipSync(zipped.body).toString()).toBe("tornado ".repeat(500));
    expect(zipped.body.length).toBeLessThan(200);
  });

  it("streams a request body to a streamRequestBody handler that consumes it slowly", async () => {
    const body = Buffer.alloc(1 << 20, "z");
    const response = await client.request("/stream", { method: "PUT", body });
    expect(JSON.parse(response.text)).toEqual({ bytes: 1 << 20, chunked: true });
  });

  it("sends what flush() wrote, in order, before the handler finishes", async () => {
    const response = await client.request("/flush");
    expect([response.status, response.text]).toEqual([200, "first;second;third"]);
    // A flushed response has no Content-Length: chunked in HTTP/1.1, DATA frames in HTTP/2.
    expect(response.headers["content-length"]).toBeUndefined();
  });
});

describe("Application.listen with http2", () => {
  it("serves h2 (ALPN) and HTTP/1.1 from app.listen(port, address, { http2: true, sslOptions })", async () => {
    const app = new Application([["/version", VersionHandler]]);
    const server = await app.listen(0, "127.0.0.1", { http2: true, sslOptions: { key: KEY, cert: CERT } });
    const port = server.boundPorts()[0]!;
    const h2 = http2Client(port, true);
    try {
      expect(JSON.parse((await h2.request("/version")).text)).toEqual({ version: "HTTP/2.0", protocol: "https" });
    } finally {
      await h2.close();
      server.stop();
      await server.closeAllConnections();
    }
  });
});
