/**
 * NodeContainer and FallbackHandler with a real express app mounted at `/legacy/.*`, and
 * plain node:http listeners: routing, query, headers, JSON bodies (express.json()), streamed
 * responses and uploads with backpressure, errors, client disconnects, keep-alive, HTTP/2.
 * Ported from wsgi_test.py: WSGIApplicationTest's path quoting; the streaming barrier case
 * as the streamed response. The plain-listener cases are in node-listener.test.ts.
 */

import { createHash } from "node:crypto";
import * as http from "node:http";
import * as http2 from "node:http2";
import { Writable } from "node:stream";
import express from "express";
import { FallbackHandler, NodeContainer, RequestHandler } from "@tornado/web";
import { LogCapture, startApp, type TestServer } from "../support";

const logs = new LogCapture();
beforeAll(() => logs.start().expect(/^500 /));
afterAll(() => logs.stop());

class MainHandler extends RequestHandler {
  override get(): void {
    this.write("from tornado");
  }
}

/** Hooks a test sets to watch or steer what the express routes do. */
interface Probe {
  onRequest?: (request: express.Request, response: express.Response) => void;
  release?: Promise<void>;
}

function legacyApp(probe: Probe): express.Express {
  const app = express();
  app.use((request, response, next) => {
    probe.onRequest?.(request, response);
    next();
  });
  app.use(express.json());
  app.get("/legacy/hello", (request, response) => {
    response.send(`hello ${String(request.query.name as string | undefined)}`);
  });
  app.get("/legacy/path/:rest", (request, response) => {
    response.send(request.params.rest);
  });
  app.post("/legacy/json", (request, response) => {
    response.status(201).json({ got: request.body, ip: request.ip, protocol: request.protocol });
  });
  app.get("/legacy/request", (request, response) => {
    response.json({
      method: request.method,
      url: request.url,
      originalUrl: request.originalUrl,
      httpVersion: request.httpVersion,
      headers: request.headers,
      rawHeaders: request.rawHeaders,
      remoteAddress: request.socket.remoteAddress,
      remotePort: request.socket.remotePort,
      localPort: request.socket.localPort,
      incomingMessage: request instanceof http.IncomingMessage,
      serverResponse: response instanceof http.ServerResponse,
    });
  });
  app.get("/legacy/stream", async (_request, response) => {
    response.setHeader("Content-Type", "text/plain");
    response.write("first\n");
    await probe.release;
    response.write("second\n");
    response.end("last\n");
  });
  app.get("/legacy/endless", (_request, response) => {
    const chunk = Buffer.alloc(64 * 1024, "x");
    const pump = (): void => {
      while (!response.destroyed && response.write(chunk));
      if (!response.destroyed) response.once("drain", pump);
    };
    pump();
  });
  app.post("/legacy/upload", (request, response) => {
    const hash = createHash("sha256");
    let total = 0;
    let maxBuffered = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        maxBuffered = Math.max(maxBuffered, request.readableLength);
        total += chunk.length;
        hash.update(chunk);
        setImmediate(callback);
      },
    });
    slow.on("finish", () => response.json({ total, sha256: hash.digest("hex"), maxBuffered }));
    request.pipe(slow);
  });
  app.get("/legacy/fails", (_request, _response, next) => {
    next(new Error("middleware failed"));
  });
  app.get("/legacy/throws", () => {
    throw new Error("route threw");
  });
  return app;
}

function request(port: number, path: string, options: http.RequestOptions = {}): http.ClientRequest {
  return http.request({ host: "127.0.0.1", port, path, agent: false, ...options });
}

function responseOf(clientRequest: http.ClientRequest): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    clientRequest.on("response", resolve);
    clientRequest.on("error", reject);
  });
}

function textOf(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on("data", (chunk: Buffer) => chunks.push(chunk));
    response.on("end", () => resolve(Buffer.concat(chunks).toString()));
    response.on("error", reject);
  });
}

function once<T = void>(emitter: NodeJS.EventEmitter, event: string): Promise<T> {
  return new Promise((resolve) => emitter.once(event, resolve as (value: unknown) => void));
}

describe.each([
  ["routed to the container", (container: NodeContainer) => ["/legacy/.*", container] as const],
  ["through FallbackHandler", (container: NodeContainer) => ["/legacy/.*", FallbackHandler, { fallback: container }] as const],
])("express at /legacy/.* %s", (_name, legacyRule) => {
  let server: TestServer;
  const probe: Probe = {};

  beforeEach(async () => {
    probe.onRequest = undefined;
    probe.release = undefined;
    server = await startApp([["/", MainHandler], legacyRule(new NodeContainer(legacyApp(probe)))]);
  });
  afterEach(() => server.close());

  it("routes: Tornado's handlers and the express app side by side, express's own 404", async () => {
    expect((await server.fetch("/")).text).toBe("from tornado");
    const hello = await server.fetch("/legacy/hello?name=tornado");
    expect([hello.status, hello.text, hello.headers["content-type"]]).toEqual([200, "hello tornado", "text/html; charset=utf-8"]);
    const missing = await server.fetch("/legacy/nowhere");
    expect(missing.status).toBe(404);
    expect(missing.text).toContain("Cannot GET /legacy/nowhere");
    expect((await server.fetch("/other")).status).toBe(404); // Tornado's 404: not the legacy route
  });

  it("gives a real IncomingMessage: method, url, version, headers by node's rules, rawHeaders, peer address", async () => {
    const response = await server.fetch("/legacy/request?x=1", {
      headers: { "X-Dup": ["a", "b"], Cookie: ["c=1", "d=2"], "User-Agent": "test-agent" },
    });
    const seen = response.json();
    expect(seen).toMatchObject({
      method: "GET",
      url: "/legacy/request?x=1",
      originalUrl: "/legacy/request?x=1",
      httpVersion: "1.1",
      remoteAddress: "127.0.0.1",
      localPort: server.port,
      incomingMessage: true,
      serverResponse: true,
    });
    expect(typeof seen.remotePort).toBe("number");
    expect(seen.headers).toMatchObject({ "x-dup": "a, b", cookie: "c=1; d=2", "user-agent": "test-agent", host: `127.0.0.1:${server.port}` });
    const raw: string[] = seen.rawHeaders;
    expect(raw.filter((_v, i) => i % 2 === 0 && raw[i].toLowerCase() === "x-dup").length).toBe(2);
    expect(raw[raw.findIndex((v) => v.toLowerCase() === "user-agent") + 1]).toBe("test-agent");
  });

  it("decodes path parameters as express does (wsgi_test path quoting)", async () => {
    expect((await server.fetch("/legacy/path/foo%20bar%C3%A9")).text).toBe("foo bar\u00e9");
  });

  it("parses a JSON body with express.json() and answers with its status", async () => {
    const response = await server.fetch("/legacy/json", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ a: [1, 2], b: "ü" }),
    });
    expect(response.status).toBe(201);
    expect(response.json()).toEqual({ got: { a: [1, 2], b: "ü" }, ip: "127.0.0.1", protocol: "http" });
    expect(response.headers["content-length"]).toBe(String(response.body.length));
  });

  it("streams the response: the first chunk reaches the client before the app writes the next", async () => {
    let release!: () => void;
    probe.release = new Promise((resolve) => (release = resolve));
    const response = await responseOf(request(server.port, "/legacy/stream").end());
    expect(response.headers["transfer-encoding"]).toBe("chunked");
    const first = (await once<Buffer>(response, "data")).toString();
    expect(first).toBe("first\n");
    release();
    expect(first + (await textOf(response))).toBe("first\nsecond\nlast\n");
  });

  it("streams a large upload through with backpressure: req never holds much more than its high-water mark", async () => {
    const body = Buffer.alloc(24 * 1024 * 1024);
    for (let i = 0; i < body.length; i += 4096) body.writeUInt32BE(i, i);
    const response = await server.fetch("/legacy/upload", { method: "POST", body, headers: { "Content-Type": "application/octet-stream" } });
    const result = response.json();
    expect(result.total).toBe(body.length);
    expect(result.sha256).toBe(createHash("sha256").update(body).digest("hex"));
    // Without flow control the whole body (24 MB over loopback) would pile up in req.
    expect(result.maxBuffered).toBeLessThan(1024 * 1024);
  });

  it("answers HEAD as express does: the GET route's headers, no body", async () => {
    const response = await server.fetch("/legacy/hello?name=x", { method: "HEAD" });
    expect([response.status, response.headers["content-length"], response.body.length]).toEqual([200, "7", 0]);
  });

  it("keeps the connection alive across requests", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const sockets = new Set<unknown>();
      for (const name of ["a", "b", "c"]) {
        const clientRequest = http.request({ host: "127.0.0.1", port: server.port, path: `/legacy/hello?name=${name}`, agent });
        clientRequest.on("socket", (socket) => sockets.add(socket));
        expect(await textOf(await responseOf(clientRequest.end()))).toBe(`hello ${name}`);
      }
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it("answers an error passed to next() in express middleware through express's handler (500)", async () => {
    const response = await server.fetch("/legacy/fails");
    expect(response.status).toBe(500);
    expect(response.text).toContain("middleware failed");
    expect((await server.fetch("/legacy/throws")).status).toBe(500);
  });

  it("emits 'finish' then 'close' on res, and 'close' on req, after a normal response", async () => {
    const events: string[] = [];
    let requestClosed!: Promise<void>;
    const responseClosed = new Promise<void>((resolve) => {
      probe.onRequest = (request, response) => {
        requestClosed = once(request, "close");
        response.on("finish", () => events.push(`finish ${response.writableFinished}`));
        response.on("close", () => {
          events.push("close");
          resolve();
        });
      };
    });
    expect((await server.fetch("/legacy/hello?name=x")).text).toBe("hello x");
    await responseClosed;
    await requestClosed;
    expect(events).toEqual(["finish true", "close"]);
  });

  it("tells the app when the client leaves mid-response: 'close' on res and req, writes stop", async () => {
    let requestClosed!: Promise<void>;
    const closed = new Promise<express.Response>((resolve) => {
      probe.onRequest = (request, response) => {
        requestClosed = once(request, "close");
        response.on("close", () => resolve(response));
      };
    });
    const clientRequest = request(server.port, "/legacy/endless").end();
    clientRequest.on("error", () => {});
    const response = await responseOf(clientRequest);
    await once(response, "data");
    clientRequest.destroy();
    const serverResponse = await closed;
    expect(serverResponse.writableFinished).toBe(false);
    expect(serverResponse.destroyed).toBe(true);
    await requestClosed;
  });

  it("tells the app when the client leaves mid-upload: 'aborted' and 'close' on req", async () => {
    let gotData!: () => void;
    const dataSeen = new Promise<void>((resolve) => (gotData = resolve));
    const seen = new Promise<string[]>((resolve) => {
      probe.onRequest = (request) => {
        const events: string[] = [];
        request.once("data", () => {
          events.push("data");
          gotData();
        });
        request.on("aborted", () => events.push("aborted"));
        request.on("close", () => {
          events.push(`close complete=${request.complete}`);
          resolve(events);
        });
      };
    });
    const clientRequest = request(server.port, "/legacy/upload", { method: "POST", headers: { "Content-Length": "1000000" } });
    clientRequest.on("error", () => {});
    clientRequest.write(Buffer.alloc(1000));
    await dataSeen;
    clientRequest.destroy();
    expect(await seen).toEqual(["data", "aborted", "close complete=false"]);
  });
});

describe("express behind NodeContainer over HTTP/2 (h2c)", () => {
  let server: TestServer;
  let session: http2.ClientHttp2Session;
  const probe: Probe = {};

  beforeEach(async () => {
    server = await startApp([["/legacy/.*", new NodeContainer(legacyApp(probe))]], {}, { http2: true });
    session = http2.connect(`http://127.0.0.1:${server.port}`);
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => session.close(resolve));
    await server.close();
  });

  function exchange(headers: http2.OutgoingHttpHeaders, body?: string | Buffer) {
    return new Promise<{ status: number; headers: http2.IncomingHttpHeaders; text: string; chunks: number }>((resolve, reject) => {
      const stream = session.request(headers);
      const chunks: Buffer[] = [];
      let received: http2.IncomingHttpHeaders = {};
      stream.on("response", (responseHeaders) => (received = responseHeaders));
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => resolve({ status: Number(received[":status"]), headers: received, text: Buffer.concat(chunks).toString(), chunks: chunks.length }));
      stream.on("error", reject);
      stream.end(body);
    });
  }

  it("routes, reads the query and a JSON body, streams a response and an upload", async () => {
    expect((await exchange({ ":path": "/legacy/hello?name=h2" })).text).toBe("hello h2");
    // express's body parsers look for Content-Length or Transfer-Encoding (type-is's hasBody),
    // and HTTP/2 has no Transfer-Encoding: a client sends the length, as under node's http2.
    const json = await exchange({ ":method": "POST", ":path": "/legacy/json", "content-type": "application/json", "content-length": 7 }, '{"a":1}');
    expect([json.status, JSON.parse(json.text)]).toEqual([201, { got: { a: 1 }, ip: "127.0.0.1", protocol: "http" }]);
    probe.release = Promise.resolve();
    expect((await exchange({ ":path": "/legacy/stream" })).text).toBe("first\nsecond\nlast\n");
    const body = Buffer.alloc(4 * 1024 * 1024, 7);
    const upload = JSON.parse((await exchange({ ":method": "POST", ":path": "/legacy/upload" }, body)).text);
    expect([upload.total, upload.sha256]).toEqual([body.length, createHash("sha256").update(body).digest("hex")]);
    expect(upload.maxBuffered).toBeLessThan(1024 * 1024);
  });
});
