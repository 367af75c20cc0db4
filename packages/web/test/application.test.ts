/**
 * Application: routing through a real server, host matching, reverseUrl, request logging,
 * listen(). Ported from web_test.py HostMatchingTest, DefaultHostMatchingTest,
 * ApplicationTest, ConnectionCloseTest, plus routing_test.py-style nested targets.
 */

import * as net from "node:net";
import { HTTPHeaders, ResponseStartLine } from "@tornado/httputil";
import type { HTTPServerRequest } from "@tornado/httpserver";
import { accessLog } from "@tornado/ioloop";
import { HTTPTestServer } from "@tornado/testing";
import {
  Application,
  ReversibleRuleRouter,
  RequestHandler,
  RouteError,
  Router,
  RuleRouter,
  UrlNotFoundError,
  url,
  type HandlerDelegate,
} from "@tornado/web";
import { fetchFrom, LogCapture, LogLevel, startApp, startServer, waitFor } from "./support";

const logs = new LogCapture();
beforeAll(() => logs.start());
afterAll(() => logs.stop());

function textHandler(text: string) {
  return class extends RequestHandler {
    override get() {
      this.write(text);
    }
  };
}

describe("host matching (HostMatchingTest)", () => {
  it("checks host groups in order, before the wildcard rules", async () => {
    const server = await startApp([["/foo", textHandler("wildcard")]]);
    server.app.addHandlers("www.example.com", [["/foo", textHandler("[0]")]]);
    server.app.addHandlers("www\\.example\\.com", [["/bar", textHandler("[1]")]]);
    server.app.addHandlers("www.example.com", [["/baz", textHandler("[2]")]]);
    server.app.addHandlers("www.e.*e.com", [["/baz", textHandler("[3]")]]);
    try {
      expect((await server.fetch("/foo")).text).toBe("wildcard");
      expect((await server.fetch("/bar")).status).toBe(404);
      expect((await server.fetch("/baz")).status).toBe(404);
      const host = { Host: "www.example.com" };
      expect((await server.fetch("/foo", { headers: host })).text).toBe("[0]");
      expect((await server.fetch("/bar", { headers: host })).text).toBe("[1]");
      expect((await server.fetch("/baz", { headers: host })).text).toBe("[2]");
      expect((await server.fetch("/baz", { headers: { Host: "www.exe.com" } })).text).toBe("[3]");
    } finally {
      await server.close();
    }
  });

  it("falls back to defaultHost unless X-Real-Ip is sent (DefaultHostMatchingTest)", async () => {
    const server = await startApp([], { defaultHost: "www.example.com" });
    server.app.addHandlers("www.example.com", [["/foo", textHandler("[0]")]]);
    server.app.addHandlers("www\\.example\\.com", [["/bar", textHandler("[1]")]]);
    server.app.addHandlers("www.test.com", [["/baz", textHandler("[2]")]]);
    try {
      expect((await server.fetch("/foo")).text).toBe("[0]");
      expect((await server.fetch("/bar")).text).toBe("[1]");
      expect((await server.fetch("/baz")).status).toBe(404);
      expect((await server.fetch("/foo", { headers: { "X-Real-Ip": "127.0.0.1" } })).status).toBe(404);
      server.app.defaultHost = "www.test.com";
      expect((await server.fetch("/baz")).text).toBe("[2]");
    } finally {
      await server.close();
    }
  });
});

describe("targets", () => {
  it("routes to nested rule arrays, RuleRouters, Applications and functions", async () => {
    const inner = new Application([["/app/inner", textHandler("inner app")]]);
    const callable = (request: HTTPServerRequest) => {
      const body = Buffer.from(`callable ${request.method} ${request.body.length}`);
      const headers = new HTTPHeaders({ "Content-Length": String(body.length) });
      void request.connection!.writeHeaders(new ResponseStartLine("HTTP/1.1", 200, "OK"), headers, body);
      request.connection!.finish();
    };
    const server = await startApp([
      ["/nested/.*", [["/nested/a", textHandler("nested a")], ["/nested/b", textHandler("nested b")]]],
      ["/app/.*", inner],
      ["/router/.*", new RuleRouter([["/router/x", callable]])],
      ["/callable", callable],
      ["/after", textHandler("after")],
    ]);
    try {
      expect((await server.fetch("/nested/a")).text).toBe("nested a");
      expect((await server.fetch("/nested/b")).text).toBe("nested b");
      expect((await server.fetch("/app/inner")).text).toBe("inner app");
      expect((await server.fetch("/callable", { method: "POST", body: "abc" })).text).toBe("callable POST 3");
      expect((await server.fetch("/router/x")).text).toBe("callable GET 0");
      expect((await server.fetch("/after")).text).toBe("after");
      expect((await server.fetch("/nested/c")).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it("routes a 200-rule table through the index, first match first", async () => {
    const rules: [string, unknown][] = [];
    for (let i = 0; i < 200; i++) rules.push([`/r${i}/(\\d+)`, textHandler(`r${i}`)]);
    rules.splice(10, 0, ["/(.*)/1", textHandler("catch-all /1")]);
    const server = await startApp(rules as never);
    try {
      expect((await server.fetch("/r150/2")).text).toBe("r150");
      expect((await server.fetch("/r150/1")).text).toBe("catch-all /1");
      expect((await server.fetch("/r5/1")).text).toBe("r5");
      expect((await server.fetch("/r50/1")).text).toBe("catch-all /1");
    } finally {
      await server.close();
    }
  });
});

describe("targets a router cannot use", () => {
  class NotAHandler {}

  it("refuses them when the Application is built, naming the value", () => {
    // Tornado imports a dotted name; here a handler is given as the class itself.
    expect(() => new Application([["/x", "pkg.Handler"]] as never)).toThrow(
      new RouteError(
        'Rule target must be a RequestHandler class, a router, an HTTPServerConnectionDelegate, an array of rules or a function, got "pkg.Handler" (give the handler class itself, not its name)',
      ),
    );
    expect(() => new Application([["/x", NotAHandler]] as never)).toThrow(
      new RouteError("Rule target NotAHandler is a class but not a RequestHandler subclass"),
    );
    expect(() => new Application([["/x", 42]] as never)).toThrow(RouteError);
    expect(() => new Application([["/x", { get: () => "" }]] as never)).toThrow(RouteError);
    expect(() => new Application([["/n", [["/n/x", "pkg.Handler"]]]] as never)).toThrow(RouteError);
    const app = new Application();
    expect(() => app.addHandlers("example\\.com", [["/x", "pkg.Handler"]] as never)).toThrow(RouteError);
  });

  it("refuses them in a plain RuleRouter too, where a handler class is not a target either", () => {
    expect(() => new RuleRouter([["/x", "pkg.Handler"]] as never)).toThrow(RouteError);
    expect(() => new RuleRouter([["/x", textHandler("x")]] as never)).toThrow(RouteError);
    expect(() => new RuleRouter([["/x", () => undefined]])).not.toThrow();
  });
});

describe("routers as HTTPServer delegates (routing_test.py style)", () => {
  it("serves a custom Router and a RuleRouter that hands requests to Applications", async () => {
    const app1 = new Application([["/app1/handler", textHandler("app1")]]);
    const app2 = new Application([url("/app2/handler", textHandler("app2"), undefined, "app2")]);
    class CustomRouter extends Router {
      findHandler(request: HTTPServerRequest) {
        const app = request.path.startsWith("/app1") ? app1 : request.path.startsWith("/app2") ? app2 : null;
        return app === null ? null : (app.findHandler(request) as HandlerDelegate);
      }
    }
    const rules = new ReversibleRuleRouter([
      ["/app1/.*", app1],
      ["/app2/.*", app2],
      ["/custom/.*", new CustomRouter()],
    ]);
    for (const target of [new CustomRouter(), rules]) {
      const server = await HTTPTestServer.start(target);
      try {
        expect((await fetchFrom(server.port, "/app1/handler")).text).toBe("app1");
        expect((await fetchFrom(server.port, "/app2/handler")).text).toBe("app2");
        // No match: the router's default delegate answers an empty 404.
        const missing = await fetchFrom(server.port, "/nowhere");
        expect([missing.status, missing.text]).toEqual([404, ""]);
      } finally {
        await server.stop();
      }
    }
    expect(rules.reverseUrl("app2")).toBe("/app2/handler");
  });
});

describe("reverseUrl", () => {
  it("reverses named rules and throws UrlNotFoundError for unknown names", () => {
    const app = new Application([url("/story/([0-9]+)", RequestHandler, undefined, "story"), ["/x", RequestHandler, undefined, "x"]]);
    expect(app.reverseUrl("story", 42)).toBe("/story/42");
    expect(app.reverseUrl("x")).toBe("/x");
    expect(() => app.reverseUrl("nope")).toThrow(UrlNotFoundError);
    expect(() => app.reverseUrl("nope")).toThrow("nope not found in named urls");
  });

  it("finds names in host handlers", () => {
    const app = new Application();
    app.addHandlers("example\\.com", [url("/h/(\\w+)", RequestHandler, undefined, "host")]);
    expect(app.reverseUrl("host", "a b")).toBe("/h/a%20b");
  });
});

describe("logRequest", () => {
  class StatusHandler extends RequestHandler {
    override get(code: string) {
      this.setStatus(Number(code));
    }
  }

  it("logs info below 400, warning below 500, error above", async () => {
    const server = await startApp([["/status/(\\d+)", StatusHandler]]);
    try {
      logs.clear();
      await server.fetch("/status/200");
      await server.fetch("/status/404");
      await server.fetch("/status/503");
      const access = logs.records.filter((r) => r.name === "tornado.access");
      expect(access.map((r) => r.level)).toEqual([LogLevel.INFO, LogLevel.WARNING, LogLevel.ERROR]);
      expect(access[0].message).toMatch(/^200 GET \/status\/200 \(127\.0\.0\.1\) \d+\.\d{2}ms$/);
    } finally {
      await server.close();
    }
  });

  it("builds a line only when its level is kept", async () => {
    const summarized: number[] = [];
    class CountingHandler extends StatusHandler {
      override _requestSummary(): string {
        summarized.push(this.getStatus());
        return super._requestSummary();
      }
    }
    const server = await startApp([["/status/(\\d+)", CountingHandler]]);
    const previous = accessLog.level;
    accessLog.level = LogLevel.WARNING;
    try {
      logs.clear();
      await server.fetch("/status/200");
      await server.fetch("/status/404");
      expect(summarized).toEqual([404]);
      expect(logs.records.filter((r) => r.name === "tornado.access").map((r) => r.message)).toEqual([
        expect.stringMatching(/^404 GET \/status\/404 \(127\.0\.0\.1\) \d+\.\d{2}ms$/),
      ]);
    } finally {
      accessLog.level = previous;
      await server.close();
    }
  });

  it("calls the logFunction setting instead", async () => {
    const seen: number[] = [];
    const server = await startApp([["/status/(\\d+)", StatusHandler]], { logFunction: (handler) => seen.push(handler.getStatus()) });
    try {
      logs.clear();
      await server.fetch("/status/201");
      expect(seen).toEqual([201]);
      expect(logs.records.filter((r) => r.name === "tornado.access")).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe("request context", () => {
  class WhoHandler extends RequestHandler {
    override get() {
      this.write({ ip: this.request.remoteIp, protocol: this.request.protocol, summary: this._requestSummary() });
    }
  }

  it("takes remoteIp and protocol from the connection, and from proxy headers with xheaders", async () => {
    const plain = await startServer(new Application([["/", WhoHandler]]));
    const proxied = await startServer(new Application([["/", WhoHandler]]), { xheaders: true });
    try {
      const headers = { "X-Real-Ip": "4.4.4.4", "X-Scheme": "https" };
      expect((await plain.fetch("/", { headers })).json()).toEqual({ ip: "127.0.0.1", protocol: "http", summary: "GET / (127.0.0.1)" });
      expect((await proxied.fetch("/", { headers })).json()).toEqual({ ip: "4.4.4.4", protocol: "https", summary: "GET / (4.4.4.4)" });
    } finally {
      await plain.close();
      await proxied.close();
    }
  });
});

describe("listen (ApplicationTest)", () => {
  it("returns a listening HTTPServer that can be stopped", async () => {
    const app = new Application([["/", textHandler("listening")]]);
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const server = await app.listen(port, "127.0.0.1");
    try {
      expect((await fetchFrom(port, "/")).text).toBe("listening");
    } finally {
      server.stop();
      await (server as unknown as { closeAllConnections?: () => Promise<void> }).closeAllConnections?.();
    }
  });
});

describe("connection close (ConnectionCloseTest)", () => {
  it("calls onConnectionClose when the client leaves during an async method", async () => {
    const events: string[] = [];
    class SlowHandler extends RequestHandler {
      override async get() {
        events.push("get");
        await new Promise((resolve) => setTimeout(resolve, 300));
        events.push("done");
      }
      override onConnectionClose() {
        events.push("closed");
      }
    }
    const server = await startServer(new Application([["/", SlowHandler]]));
    try {
      const socket = net.connect(server.port, "127.0.0.1");
      socket.write("GET / HTTP/1.0\r\n\r\n");
      await waitFor(() => events.includes("get"));
      socket.destroy();
      await waitFor(() => events.includes("closed"));
      await waitFor(() => events.includes("done"));
      expect(events).toEqual(["get", "closed", "done"]);
    } finally {
      await server.close();
    }
  });
});
