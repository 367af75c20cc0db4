// HTTPTestServer and useHTTPTestServer against our own HTTPServer on loopback
// (Tornado: AsyncHTTPTestCase, AsyncHTTPSTestCase).
import * as path from "node:path";
import { readFileSync } from "node:fs";
import { HTTPHeaders, ResponseStartLine } from "@tornado/httputil";
import { HTTPServer, type HTTPConnection, type HTTPMessageDelegate, type HTTPServerConnectionDelegate, type HTTPServerRequest } from "@tornado/httpserver";
import { HTTPStreamClosedError, HTTPTimeoutError } from "@tornado/httpclient";
import {
  HTTPTestServer,
  TestingArgumentError,
  expectNoOpenHandles,
  startHTTPTestServer,
  useHTTPTestServer,
} from "@tornado/testing";

/** A request callback: answers `<method> <uri>`, 404 under /missing. */
function echoCallback(request: HTTPServerRequest): void {
  const missing = request.path.startsWith("/missing");
  const body = Buffer.from(`${request.method} ${request.uri}`);
  const headers = new HTTPHeaders({ "Content-Length": String(body.length), "Content-Type": "text/plain" });
  void request.connection!.writeHeaders(
    new ResponseStartLine("HTTP/1.1", missing ? 404 : 200, missing ? "Not Found" : "OK"),
    headers,
    body,
  );
  request.connection!.finish();
}

/** A delegate in the shape an Application has: startRequest returns an HTTPMessageDelegate. */
class CountingDelegate implements HTTPServerConnectionDelegate {
  requests = 0;
  startRequest(_serverConnection: object, connection: HTTPConnection): HTTPMessageDelegate {
    const delegate = this;
    const chunks: Buffer[] = [];
    return {
      headersReceived() {},
      dataReceived(chunk: Buffer) {
        chunks.push(chunk);
      },
      finish() {
        delegate.requests++;
        const body = Buffer.from(`request ${delegate.requests}, body ${Buffer.concat(chunks).length} bytes`);
        void connection.writeHeaders(
          new ResponseStartLine("HTTP/1.1", 200, "OK"),
          new HTTPHeaders({ "Content-Length": String(body.length) }),
          body,
        );
        connection.finish();
      },
      onConnectionClose() {},
    };
  }
  onClose(): void {}
}

describe("startHTTPTestServer", () => {
  test("serves a request callback; url(), port, fetch() with raiseError false", async () => {
    await expectNoOpenHandles(async () => {
      const server = await startHTTPTestServer(echoCallback);
      try {
        expect(server.url("/a?b=1")).toBe(`http://127.0.0.1:${server.port}/a?b=1`);
        expect(server.url("a")).toBe(`http://127.0.0.1:${server.port}/a`);
        expect(server.wsUrl("/socket")).toBe(`ws://127.0.0.1:${server.port}/socket`);
        const response = await server.fetch("/hello?x=1");
        expect(response.code).toBe(200);
        expect(response.text).toBe("GET /hello?x=1");
        const missing = await server.fetch("/missing");
        expect(missing.code).toBe(404);
        expect(missing.error?.code).toBe(404);
        await expect(server.fetch("/missing", { raiseError: true })).rejects.toMatchObject({ code: 404 });
        const absolute = await server.fetch(server.url("/abs"), { method: "POST", body: "x" });
        expect(absolute.text).toBe("POST /abs");
      } finally {
        await server.stop();
      }
    });
  });

  test("serves a delegate (what an Application is)", async () => {
    const delegate = new CountingDelegate();
    const server = await HTTPTestServer.start(delegate);
    try {
      expect((await server.fetch("/", { method: "PUT", body: "12345" })).text).toBe("request 1, body 5 bytes");
      expect((await server.fetch("/")).text).toBe("request 2, body 0 bytes");
      expect(server.httpServer).toBeInstanceOf(HTTPServer);
    } finally {
      await server.stop();
    }
  });

  test("serves an HTTPServer built by the caller, with its options", async () => {
    const httpServer = new HTTPServer(echoCallback, { noKeepAlive: true });
    const server = await startHTTPTestServer(httpServer);
    try {
      expect(server.httpServer).toBe(httpServer);
      const response = await server.fetch("/built");
      expect(response.text).toBe("GET /built");
      expect(response.headers.get("Connection")).toBe("close");
    } finally {
      await server.stop();
    }
  });

  test("stop() closes kept-alive connections, the listener and the client, and is idempotent", async () => {
    await expectNoOpenHandles(async () => {
      const server = await startHTTPTestServer(echoCallback);
      await Promise.all([server.fetch("/1"), server.fetch("/2"), server.fetch("/3")]);
      expect(server.httpServer.connections.size).toBeGreaterThan(0);
      await Promise.all([server.stop(), server.stop()]);
      expect(server.httpClient.closed).toBe(true);
      expect(server.httpServer.connections.size).toBe(0);
    });
  });

  test("sslOptions serve https, and the client accepts the self-signed certificate", async () => {
    const fixtures = path.join(__dirname, "fixtures");
    const server = await startHTTPTestServer(echoCallback, {
      sslOptions: { cert: readFileSync(path.join(fixtures, "test-cert.pem")), key: readFileSync(path.join(fixtures, "test-key.pem")) },
    });
    try {
      expect(server.url("/")).toBe(`https://127.0.0.1:${server.port}/`);
      expect(server.wsUrl("/ws")).toBe(`wss://127.0.0.1:${server.port}/ws`);
      expect((await server.fetch("/secure")).text).toBe("GET /secure");
    } finally {
      await server.stop();
    }
  });

  test("stop() does not wait forever for a request the app never answers", async () => {
    const saved = process.env["ASYNC_TEST_TIMEOUT"];
    process.env["ASYNC_TEST_TIMEOUT"] = "0.2";
    try {
      await expectNoOpenHandles(async () => {
        const server = await startHTTPTestServer(() => undefined);
        const pending = server.fetch("/hangs", { requestTimeout: 0 }).catch((e: unknown) => e);
        // Wait until the server has the request.
        while (server.httpServer.connections.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        await server.stop();
        expect(await pending).toBeInstanceOf(HTTPStreamClosedError);
      });
    } finally {
      if (saved === undefined) delete process.env["ASYNC_TEST_TIMEOUT"];
      else process.env["ASYNC_TEST_TIMEOUT"] = saved;
    }
  });

  test("fetch times out after ASYNC_TEST_TIMEOUT, as AsyncHTTPTestCase.fetch does", async () => {
    const saved = process.env["ASYNC_TEST_TIMEOUT"];
    process.env["ASYNC_TEST_TIMEOUT"] = "0.2";
    try {
      const server = await startHTTPTestServer(() => undefined);
      try {
        expect(server.httpClient.defaults.requestTimeout).toBe(0.2);
        await expect(server.fetch("/hangs")).rejects.toBeInstanceOf(HTTPTimeoutError);
      } finally {
        await server.stop();
      }
    } finally {
      if (saved === undefined) delete process.env["ASYNC_TEST_TIMEOUT"];
      else process.env["ASYNC_TEST_TIMEOUT"] = saved;
    }
  });

  test("a bad target is refused", async () => {
    await expect(startHTTPTestServer(42 as never)).rejects.toBeInstanceOf(TestingArgumentError);
  });
});

describe("useHTTPTestServer", () => {
  const server = useHTTPTestServer(() => echoCallback, { checkOpenHandles: true });

  test("a fresh server for each test", async () => {
    expect((await server.fetch("/first")).text).toBe("GET /first");
    expect(server.url("/x")).toBe(`http://127.0.0.1:${server.port}/x`);
    expect(server.wsUrl("/x")).toBe(`ws://127.0.0.1:${server.port}/x`);
  });

  test("another test, another port", async () => {
    expect(server.current).toBeInstanceOf(HTTPTestServer);
    expect((await server.fetch("/second", { method: "DELETE" })).text).toBe("DELETE /second");
  });
});
