/**
 * FallbackHandler: Tornado's callable fallback (called with the complete request), another
 * Application as the fallback, and the handler's own checks before the hand-off. The
 * NodeContainer cases (express behind FallbackHandler) are in test/container.
 */

import { HTTPHeaders, ResponseStartLine } from "@tornado/httputil";
import type { HTTPServerRequest } from "@tornado/httpserver";
import { appLog } from "@tornado/ioloop";
import { ExpectLog } from "@tornado/testing";
import { Application, FallbackHandler, RequestHandler } from "@tornado/web";
import { LogCapture, startApp, type TestServer } from "../support";

const logs = new LogCapture();
beforeAll(() => logs.start().expect(/^500 /));
afterAll(() => logs.stop());

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

class MainHandler extends RequestHandler {
  override get(): void {
    this.write("main");
  }
}

function answer(request: HTTPServerRequest): void {
  const body = `${request.method} ${request.path} body=${request.body.toString()} a=${String(request.arguments.a ?? "")}`;
  const connection = request.connection!;
  void connection.writeHeaders(new ResponseStartLine("HTTP/1.1", 200, "OK"), new HTTPHeaders({ "Content-Type": "text/plain" }), body);
  connection.finish();
}

describe("FallbackHandler", () => {
  it("calls a function with the complete request, body read and parsed (Tornado's callable fallback)", async () => {
    server = await startApp([
      ["/", MainHandler],
      [".*", FallbackHandler, { fallback: answer }],
    ]);
    expect((await server.fetch("/")).text).toBe("main");
    const response = await server.fetch("/elsewhere?a=q", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "a=1",
    });
    expect([response.status, response.text]).toEqual([200, "POST /elsewhere body=a=1 a=q,1"]);
  });

  it("hands the request to another Application, which routes it (and answers its own 404)", async () => {
    class InnerHandler extends RequestHandler {
      override post(): void {
        this.write(`inner got ${this.request.body.length} bytes`);
      }
    }
    const inner = new Application([["/inner", InnerHandler]]);
    server = await startApp([
      ["/", MainHandler],
      [".*", FallbackHandler, { fallback: inner }],
    ]);
    const response = await server.fetch("/inner", { method: "POST", body: Buffer.alloc(300000, 1) });
    expect([response.status, response.text]).toEqual([200, "inner got 300000 bytes"]);
    expect((await server.fetch("/nothing")).status).toBe(404);
  });

  it("runs the handler's own checks first: an unsupported method is 405, the XSRF check applies", async () => {
    server = await startApp([[".*", FallbackHandler, { fallback: answer }]], { xsrfCookies: true });
    expect((await server.fetch("/x", { method: "PROPFIND" })).status).toBe(405);
    const post = await ExpectLog.run("tornado.general", /_xsrf. argument missing/, () => server!.fetch("/x", { method: "POST", body: "" }));
    expect(post.status).toBe(403);
    expect((await server.fetch("/x")).text).toBe("GET /x body= a=");
  });

  it("answers 500 when the fallback is neither a function nor a server delegate", async () => {
    server = await startApp([[".*", FallbackHandler, { fallback: "nope" as never }]]);
    const response = await ExpectLog.run(appLog, /Uncaught exception/, () => server!.fetch("/"));
    expect(response.status).toBe(500);
  });
});
