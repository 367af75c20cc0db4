/**
 * NodeContainer with plain node:http request listeners: node's ServerResponse API and its
 * errors, listener errors answered 500, destroyed responses, socket timeouts, what the
 * container refuses, and the same express-free cases over HTTP/2 (h2c). Ported:
 * wsgi_test.py WSGIContainerTest.test_simple, routing_test.py WSGIContainerTestCase (a
 * container as a RuleRouter target beside an Application).
 */

import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";
import { appLog } from "@tornado/ioloop";
import { ExpectLog, HTTPTestServer } from "@tornado/testing";
import { ArgumentTypeError } from "@tornado/util";
import {
  Application,
  NodeContainer,
  NodeContainerError,
  PathMatches,
  RequestHandler,
  RuleRouter,
  url,
  type NodeRequestListener,
} from "@tornado/web";
import { fetchFrom, LogCapture, startApp, type TestServer } from "../support";

const logs = new LogCapture();
beforeAll(() => logs.start().expect(/^500 /));
afterAll(() => logs.stop());

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(listener: NodeRequestListener, serverOptions: Record<string, unknown> = {}): Promise<TestServer> {
  const server = await startApp([["/.*", new NodeContainer(listener)]], {}, serverOptions);
  servers.push(server);
  return server;
}

/** Resolves with what the client received before the server closed, and how it ended. */
function fetchUntilClosed(port: number, path: string): Promise<{ body: string; outcome: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const request = http.get({ host: "127.0.0.1", port, path, agent: false }, (response) => {
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ body: Buffer.concat(chunks).toString(), outcome: "end" }));
      response.on("error", () => resolve({ body: Buffer.concat(chunks).toString(), outcome: "aborted" }));
    });
    request.on("error", (error) => resolve({ body: Buffer.concat(chunks).toString(), outcome: error.message }));
  });
}

describe("NodeContainer with a node:http listener", () => {
  it("serves a listener (wsgi_test test_simple)", async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { "Content-Type": "text/plain" });
      response.end("Hello world!");
    });
    const response = await server.fetch("/simple");
    expect([response.status, response.text, response.headers["content-type"]]).toEqual([200, "Hello world!", "text/plain"]);
  });

  it("is a RuleRouter target beside an Application (routing_test WSGIContainerTestCase)", async () => {
    class Handler extends RequestHandler {
      override get(): void {
        void this.finish(this.reverseUrl("tornado"));
      }
    }
    const container = new NodeContainer((_request, response) => {
      response.writeHead(200);
      response.end("WSGI");
    });
    const router = new RuleRouter([
      [new PathMatches("/tornado.*"), new Application([url("/tornado/test", Handler, undefined, "tornado")])],
      [new PathMatches("/wsgi"), container],
    ]);
    const server = await HTTPTestServer.start(router);
    try {
      expect((await fetchFrom(server.port, "/tornado/test")).text).toBe("/tornado/test");
      expect((await fetchFrom(server.port, "/wsgi")).text).toBe("WSGI");
    } finally {
      await server.stop();
    }
  });

  it("keeps node's header store: writeHead merges into setHeader's headers, lists repeat, case is kept", async () => {
    const server = await serve((_request, response) => {
      response.setHeader("X-Set", "1");
      response.setHeader("Set-Cookie", ["a=1", "b=2"]);
      response.writeHead(202, "Fine", { "X-Head": "2" });
      response.end(response.getHeader("x-head"));
    });
    const response = await server.fetch("/");
    expect([response.status, response.reason, response.text]).toEqual([202, "Fine", "2"]);
    expect(response.headers["x-set"]).toBe("1");
    expect(response.headerList("Set-Cookie")).toEqual(["a=1", "b=2"]);
    expect(response.rawHeaders).toContain("X-Head");
  });

  it("throws node's own errors: headers after they are sent, a write after end", async () => {
    const seen: string[] = [];
    const server = await serve((_request, response) => {
      response.write("partial ");
      try {
        response.setHeader("X-Late", "1");
      } catch (error) {
        seen.push((error as NodeJS.ErrnoException).code!);
      }
      response.end("done", () => {
        response.write("more", (error) => {
          seen.push((error as NodeJS.ErrnoException | undefined)?.code ?? "no error");
        });
      });
      response.on("error", () => {});
    });
    expect((await server.fetch("/")).text).toBe("partial done");
    while (seen.length < 2) await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(["ERR_HTTP_HEADERS_SENT", "ERR_STREAM_WRITE_AFTER_END"]);
  });

  it("answers 204 and 304 without a body, whatever the listener writes", async () => {
    const server = await serve((request, response) => {
      response.statusCode = request.url === "/204" ? 204 : 304;
      response.end("ignored");
    });
    for (const path of ["/204", "/304"]) {
      const response = await server.fetch(path);
      expect([response.status, response.body.length]).toEqual([Number(path.slice(1)), 0]);
    }
  });

  it("logs an error the listener throws and answers 500", async () => {
    const server = await serve(() => {
      throw new Error("listener broke");
    });
    const response = await ExpectLog.run(appLog, /Uncaught exception in request listener GET \/broken/, () => server.fetch("/broken"));
    expect(response.status).toBe(500);
    expect(response.text).toContain("500: Internal Server Error");
  });

  it("closes the connection when the listener fails after the headers went out", async () => {
    const server = await serve(async (_request, response) => {
      response.write("half");
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error("late failure");
    });
    const result = await ExpectLog.run(appLog, /Uncaught exception in request listener/, () => fetchUntilClosed(server.port, "/"));
    expect(result.body).toBe("half");
    expect(result.outcome).not.toBe("end");
  });

  it("serves pipelined requests in order; the second hears its client leave", async () => {
    let bClosed!: () => void;
    const closed = new Promise<void>((resolve) => (bClosed = resolve));
    const server = await serve((request, response) => {
      if (request.url === "/a") {
        response.end("a-done");
        return;
      }
      response.on("close", bClosed);
      response.write("b-start");
    });
    const socket = net.connect(server.port, "127.0.0.1");
    let received = "";
    await new Promise<void>((resolve) => {
      socket.on("data", (chunk: Buffer) => {
        received += chunk.toString("latin1");
        if (received.includes("b-start")) resolve();
      });
      socket.write("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
    });
    expect(received.indexOf("a-done")).toBeLessThan(received.indexOf("b-start"));
    socket.destroy();
    await closed;
  });

  it("keeps a response the listener ended before it threw", async () => {
    const server = await serve((_request, response) => {
      response.end("complete");
      throw new Error("after the end");
    });
    const response = await ExpectLog.run(appLog, /Uncaught exception in request listener/, () => server.fetch("/"));
    expect([response.status, response.text]).toEqual([200, "complete"]);
  });

  it("cuts the response short when the listener destroys it", async () => {
    let closed!: () => void;
    const responseClosed = new Promise<void>((resolve) => (closed = resolve));
    const server = await serve((_request, response) => {
      response.on("close", closed);
      response.write("some", () => response.destroy());
    });
    const result = await fetchUntilClosed(server.port, "/");
    expect([result.body, result.outcome === "end"]).toEqual(["some", false]);
    await responseClosed;
  });

  it("refuses a write to the socket itself, and 103 Early Hints, with NodeContainerError", async () => {
    const errors: unknown[] = [];
    const server = await serve((_request, response) => {
      try {
        response.writeEarlyHints({ link: "</style.css>; rel=preload" });
      } catch (error) {
        errors.push(error);
      }
      response.socket!.write("raw", (error) => {
        errors.push(error);
      });
    });
    const result = await fetchUntilClosed(server.port, "/");
    expect(result.outcome).not.toBe("end");
    while (errors.length < 2) await new Promise((resolve) => setImmediate(resolve));
    expect(errors.map((error) => error instanceof NodeContainerError)).toEqual([true, true]);
  });

  it("emits 'timeout' on req after req.setTimeout without input, as node's server does", async () => {
    const server = await serve((request, response) => {
      request.setTimeout(50, () => {
        response.statusCode = 408;
        response.end("timed out");
      });
    });
    const clientRequest = http.request({ host: "127.0.0.1", port: server.port, method: "POST", path: "/", agent: false, headers: { "Content-Length": "10" } });
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      clientRequest.on("response", resolve);
      clientRequest.on("error", reject);
      clientRequest.write("12345"); // and nothing more
    });
    expect(response.statusCode).toBe(408);
    clientRequest.destroy();
  });

  it("takes only a function", () => {
    expect(() => new NodeContainer("app" as never)).toThrow(ArgumentTypeError);
    expect(() => new NodeContainer("app" as never)).toThrow("listener must be a function");
  });
});

describe("NodeContainer over HTTP/2 (h2c)", () => {
  function h2request(session: http2.ClientHttp2Session, headers: http2.OutgoingHttpHeaders, body?: string) {
    return new Promise<{ status: number; headers: http2.IncomingHttpHeaders; text: string }>((resolve, reject) => {
      const stream = session.request(headers);
      const chunks: Buffer[] = [];
      let responseHeaders: http2.IncomingHttpHeaders = {};
      stream.on("response", (received) => (responseHeaders = received));
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => resolve({ status: Number(responseHeaders[":status"]), headers: responseHeaders, text: Buffer.concat(chunks).toString() }));
      stream.on("error", reject);
      stream.end(body);
    });
  }

  it("serves the same listener: method, url, version, Host, a streamed body both ways", async () => {
    const server = await serve(
      (request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
          response.setHeader("Content-Type", "application/json");
          response.write(JSON.stringify({ method: request.method, url: request.url, version: request.httpVersion, host: request.headers.host }));
          response.end(`\n${Buffer.concat(chunks).toString()}`);
        });
      },
      { http2: true },
    );
    const session = http2.connect(`http://127.0.0.1:${server.port}`);
    try {
      const response = await h2request(session, { ":method": "POST", ":path": "/echo?x=1" }, "the body");
      const [head, body] = response.text.split("\n");
      expect(response.status).toBe(200);
      expect(JSON.parse(head)).toEqual({ method: "POST", url: "/echo?x=1", version: "2.0", host: `127.0.0.1:${server.port}` });
      expect(body).toBe("the body");
    } finally {
      session.close();
    }
  });
});
