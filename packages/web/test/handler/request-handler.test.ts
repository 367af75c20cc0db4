/**
 * RequestHandler output and lifecycle, ported from web_test.py (section 3.4 of the
 * reference: NonWSGIWebTests, ClearHeaderTest, Header204Test, Header304Test, DateHeaderTest,
 * FinishInPrepareTest, FinishExceptionTest, AllHTTPMethodsTest, Unimplemented*MethodsTest,
 * PatchMethodTest, CacheTest, header injection, redirects, FinalReturnTest, write rules).
 */

import { Finish, RedirectHandler, RequestHandler, ResponseStateError, UnsafeHeaderValueError, WriteTypeError } from "@tornado/web";
import { LogCapture, startApp, type TestServer } from "../support";

const logs = new LogCapture();
beforeAll(() => logs.start());
afterAll(() => logs.stop());

class HelloHandler extends RequestHandler {
  override get() {
    this.write("Hello, Tornado!");
  }
}

class JsonHandler extends RequestHandler {
  override get() {
    this.write({ hello: "world", script: "</script>" });
  }
}

class ArrayHandler extends RequestHandler {
  override get() {
    try {
      this.write([1, 2] as never);
    } catch (error) {
      this.write(`${(error as Error).name}: ${error instanceof WriteTypeError}`);
    }
  }
}

class FlushHandler extends RequestHandler {
  override async get() {
    await this.flush();
    await this.flush();
    this.write("o");
    await this.flush();
    await this.flush();
    await this.finish("k");
  }
}

class ClearHeaderHandler extends RequestHandler {
  override get() {
    this.setHeader("h1", "foo");
    this.setHeader("h2", "bar");
    this.clearHeader("h1");
    this.clearHeader("nonexistent");
  }
}

class Header204Handler extends RequestHandler {
  override get() {
    this.setStatus(204);
    this.finish();
  }
}

class Header304Handler extends RequestHandler {
  override get() {
    this.setHeader("Content-Language", "en_US");
    this.write("hello");
  }
}

class MultiHeaderHandler extends RequestHandler {
  override get() {
    this.setHeader("x-overwrite", "1");
    this.setHeader("X-Overwrite", 2);
    this.addHeader("x-multi", 3);
    this.addHeader("X-Multi", "4");
  }
}

class HeaderInjectionHandler extends RequestHandler {
  override get() {
    const results: string[] = [];
    for (const value of ["foo\r\nX-Bar: baz", "a\x00b", "a\x7fb", "a\nb"]) {
      try {
        this.setHeader("X-Foo", value);
        results.push("accepted");
      } catch (error) {
        results.push(error instanceof UnsafeHeaderValueError && /Unsafe header value/.test((error as Error).message) ? "refused" : "other");
      }
    }
    this.setHeader("X-Foo", "");
    this.setHeader("X-Tab", "a\tb");
    this.write(results.join(","));
  }
}

class FinishInPrepareHandler extends RequestHandler {
  override prepare() {
    this.finish("done");
  }
  override get() {
    throw new Error("get must not run");
  }
}

class FinishExceptionHandler extends RequestHandler {
  override get() {
    this.setStatus(401);
    this.setHeader("WWW-Authenticate", 'Basic realm="something"');
    if (this.getArgument("finish_value", "")) throw new Finish("authentication required");
    this.write("authentication required");
    throw new Finish();
  }
}

class EchoMethodHandler extends RequestHandler {
  static override SUPPORTED_METHODS = [...RequestHandler.SUPPORTED_METHODS, "OTHER"];
  #echo() {
    this.write(this.request.method);
  }
  override get() {
    this.#echo();
  }
  override head() {
    this.#echo();
  }
  override post() {
    this.#echo();
  }
  override delete() {
    this.#echo();
  }
  override put() {
    this.#echo();
  }
  override options() {
    this.#echo();
  }
  override patch() {
    this.write("patch");
  }
  other() {
    this.write("other");
  }
}

class NonStandardHandler extends RequestHandler {
  other() {
    this.write("other");
  }
}

class EtagHandler extends RequestHandler {
  override computeEtag() {
    return this.pathArgs[0] as string;
  }
  override get(computed: string) {
    this.write(computed);
  }
}

class RedirectingHandler extends RequestHandler {
  override get() {
    const permanent = this.getArgument("permanent", null);
    const status = this.getArgument("status", null);
    if (permanent !== null) void this.redirect("/", permanent === "1");
    else if (status !== null) void this.redirect("/", false, Number(status));
    else throw new Error("no redirect kind");
  }
}

class AsyncPrepareHandler extends RequestHandler {
  events: string[] = [];
  override async prepare() {
    await new Promise((resolve) => setTimeout(resolve, 1));
    this.events.push("prepare");
  }
  override async get() {
    this.events.push("get");
    await new Promise((resolve) => setTimeout(resolve, 1));
    this.write(this.events.join(","));
  }
}

class FinalReturnHandler extends RequestHandler {
  override async get() {
    this.write("hello,");
    await this.flush();
    const promise = this.finish("world");
    const isPromise = promise instanceof Promise;
    await promise;
    finalReturn.push(isPromise);
  }
}
const finalReturn: boolean[] = [];

class WriteAfterFinishHandler extends RequestHandler {
  override get() {
    this.finish("first");
    const errors: string[] = [];
    try {
      this.write("x");
    } catch (error) {
      errors.push(String(error instanceof ResponseStateError));
    }
    try {
      this.finish();
    } catch (error) {
      errors.push((error as Error).message);
    }
    writeAfterFinish.push(...errors);
  }
}
const writeAfterFinish: string[] = [];

class InitializeHandler extends RequestHandler {
  greeting = "unset";
  override initialize(options: { greeting: string }) {
    this.greeting = options.greeting;
  }
  override get() {
    this.write(this.greeting);
  }
}

class SpreadInitializeHandler extends RequestHandler {
  parts: unknown[] = [];
  override initialize(...parts: unknown[]) {
    this.parts = parts;
  }
  override get() {
    this.write({ parts: this.parts });
  }
}

class OnFinishHandler extends RequestHandler {
  override get() {
    this.write("x");
  }
  override onFinish() {
    finished.push(this.getStatus());
  }
}
const finished: number[] = [];

describe("RequestHandler output", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startApp([
      ["/hello", HelloHandler],
      ["/json", JsonHandler],
      ["/array", ArrayHandler],
      ["/flush", FlushHandler],
      ["/clear_header", ClearHeaderHandler],
      ["/204", Header204Handler],
      ["/304", Header304Handler],
      ["/multi_header", MultiHeaderHandler],
      ["/header_injection", HeaderInjectionHandler],
      ["/finish_in_prepare", FinishInPrepareHandler],
      ["/finish_exception", FinishExceptionHandler],
      ["/echo", EchoMethodHandler],
      ["/nonstandard", NonStandardHandler],
      ["/bare", RequestHandler],
      ["/etag/(.*)", EtagHandler],
      ["/redirect", RedirectingHandler],
      ["/async_prepare", AsyncPrepareHandler],
      ["/final_return", FinalReturnHandler],
      ["/write_after_finish", WriteAfterFinishHandler],
      ["/initialize", InitializeHandler, { greeting: "hi there" }],
      ["/spread", SpreadInitializeHandler, [1, "two"]],
      ["/on_finish", OnFinishHandler],
      ["/web_redirect", RedirectHandler, { url: "/web_redirect_newpath" }],
      ["/web_redirect_temp", RedirectHandler, { url: "/web_redirect_newpath", permanent: false }],
      ["//web_redirect_double_slash", RedirectHandler, { url: "/web_redirect_newpath" }],
      ["/src", RedirectHandler, { url: "/dst" }],
      ["/src2", RedirectHandler, { url: "/dst2?foo=bar" }],
      ["/(.*?)/(.*?)/(.*)", RedirectHandler, { url: "/{1}/{0}/{2}" }],
    ]);
  });
  afterAll(() => server.close());

  it("answers hello world with default headers", async () => {
    const response = await server.fetch("/hello");
    expect(response.status).toBe(200);
    expect(response.reason).toBe("OK");
    expect(response.text).toBe("Hello, Tornado!");
    expect(response.headers["content-type"]).toBe("text/html; charset=UTF-8");
    expect(response.headers["content-length"]).toBe("15");
    expect(response.headers["server"]).toMatch(/^TornadoServer\//);
    expect(response.headers["etag"]).toMatch(/^"[0-9a-f]{40}"$/);
  });

  it("sends a Date header close to now (DateHeaderTest)", async () => {
    const response = await server.fetch("/hello");
    const date = Date.parse(response.headers["date"] as string);
    expect(Math.abs(date - Date.now())).toBeLessThan(2000);
  });

  it("writes plain objects as JSON with </ escaped", async () => {
    const response = await server.fetch("/json");
    expect(response.headers["content-type"]).toBe("application/json; charset=UTF-8");
    expect(response.text).toBe('{"hello":"world","script":"<\\/script>"}');
    expect(response.json()).toEqual({ hello: "world", script: "</script>" });
  });

  it("refuses arrays in write()", async () => {
    expect((await server.fetch("/array")).text).toBe("WriteTypeError: true");
  });

  it("resolves empty flushes (NonWSGIWebTests.test_empty_flush)", async () => {
    expect((await server.fetch("/flush")).text).toBe("ok");
  });

  it("clears headers (ClearHeaderTest)", async () => {
    const response = await server.fetch("/clear_header");
    expect(response.headers["h1"]).toBeUndefined();
    expect(response.headers["h2"]).toBe("bar");
  });

  it("sends 204 without Content-Length or Transfer-Encoding (Header204Test)", async () => {
    const response = await server.fetch("/204");
    expect(response.status).toBe(204);
    expect(response.headers["content-length"]).toBeUndefined();
    expect(response.headers["transfer-encoding"]).toBeUndefined();
  });

  it("answers 304 without body headers (Header304Test)", async () => {
    const first = await server.fetch("/304");
    expect(first.headers["content-length"]).toBe("5");
    expect(first.headers["content-language"]).toBe("en_US");
    const second = await server.fetch("/304", { headers: { "If-None-Match": first.headers["etag"] as string } });
    expect(second.status).toBe(304);
    expect(second.headers["content-length"]).toBeUndefined();
    expect(second.headers["content-language"]).toBeUndefined();
    expect(second.headers["transfer-encoding"]).toBeUndefined();
  });

  it("overwrites with setHeader and appends with addHeader", async () => {
    const response = await server.fetch("/multi_header");
    expect(response.headers["x-overwrite"]).toBe("2");
    expect(response.headerList("x-multi")).toEqual(["3", "4"]);
  });

  it("refuses unsafe header values (header injection)", async () => {
    const response = await server.fetch("/header_injection");
    expect(response.text).toBe("refused,refused,refused,refused");
    expect(response.headers["x-bar"]).toBeUndefined();
    expect(response.headers["x-tab"]).toBe("a\tb");
  });

  it("skips the method when prepare finishes (FinishInPrepareTest)", async () => {
    expect((await server.fetch("/finish_in_prepare")).text).toBe("done");
  });

  it("ends with Finish, keeping status and headers (FinishExceptionTest)", async () => {
    for (const path of ["/finish_exception", "/finish_exception?finish_value=1"]) {
      const response = await server.fetch(path);
      expect(response.status).toBe(401);
      expect(response.headers["www-authenticate"]).toBe('Basic realm="something"');
      expect(response.text).toBe("authentication required");
    }
  });

  it.each(["GET", "DELETE", "OPTIONS", "POST", "PUT"])("echoes %s (AllHTTPMethodsTest)", async (method) => {
    const response = await server.fetch("/echo", { method, body: method === "POST" || method === "PUT" ? "" : undefined });
    expect(response.text).toBe(method);
  });

  it("sends no body for HEAD, with the GET Content-Length", async () => {
    const response = await server.fetch("/echo", { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(0);
    expect(response.headers["content-length"]).toBe("4");
  });

  it("runs patch and extra SUPPORTED_METHODS (PatchMethodTest)", async () => {
    expect((await server.fetch("/echo", { method: "PATCH", body: "" })).text).toBe("patch");
    expect((await server.fetch("/echo", { method: "OTHER" })).text).toBe("other");
  });

  it.each(["HEAD", "GET", "DELETE", "OPTIONS", "POST", "PUT", "PATCH"])("answers 405 for unimplemented %s", async (method) => {
    const body = ["POST", "PUT", "PATCH"].includes(method) ? "" : undefined;
    expect((await server.fetch("/bare", { method, body })).status).toBe(405);
  });

  it("answers 405 for a method outside SUPPORTED_METHODS even when defined", async () => {
    expect((await server.fetch("/nonstandard", { method: "OTHER" })).status).toBe(405);
  });

  it.each([
    ['"xyzzy"', "*", 304],
    ['"xyzzy"', '"xyzzy"', 304],
    ['"xyzzy1"', '"xyzzy1", "xyzzy2"', 304],
    ['"xyzzy"', '"xyzzy1"', 200],
    ['"xyzzy"', '"xyzzy1", "xyzzy2"', 200],
    ['"xyzzy1"', 'W/"xyzzy1"', 304],
    ['"xyzzy2"', 'W/"xyzzy1", W/"xyzzy2"', 304],
    ['"xyzzy2"', 'W/"xyzzy1"', 200],
    ['"xyzzy3"', 'W/"xyzzy1", W/"xyzzy2"', 200],
  ])("compares etag %s with If-None-Match %s -> %i (CacheTest)", async (computed, header, status) => {
    const response = await server.fetch(`/etag/${encodeURIComponent(computed)}`, { headers: { "If-None-Match": header } });
    expect(response.status).toBe(status);
  });

  it.each([
    ["/redirect?permanent=1", 301],
    ["/redirect?permanent=0", 302],
    ["/redirect?status=307", 307],
  ])("redirects %s with %i", async (path, status) => {
    const response = await server.fetch(path);
    expect(response.status).toBe(status);
    expect(response.headers["location"]).toBe("/");
  });

  it("RedirectHandler: permanent by default, temporary on request, double slash", async () => {
    let response = await server.fetch("/web_redirect");
    expect([response.status, response.headers["location"]]).toEqual([301, "/web_redirect_newpath"]);
    response = await server.fetch("/web_redirect_temp");
    expect([response.status, response.headers["location"]]).toEqual([302, "/web_redirect_newpath"]);
    response = await server.fetch("//web_redirect_double_slash");
    expect([response.status, response.headers["location"]]).toEqual([301, "/web_redirect_newpath"]);
  });

  it("RedirectHandler keeps the query and formats groups (RedirectHandlerTest)", async () => {
    expect((await server.fetch("/src")).headers["location"]).toBe("/dst");
    expect((await server.fetch("/src?foo=bar")).headers["location"]).toBe("/dst?foo=bar");
    expect((await server.fetch("/src2?foo2=bar2")).headers["location"]).toBe("/dst2?foo=bar&foo2=bar2");
    expect((await server.fetch("/a/b/c")).headers["location"]).toBe("/b/a/c");
  });

  it("awaits async prepare before the async method", async () => {
    expect((await server.fetch("/async_prepare")).text).toBe("prepare,get");
  });

  it("finish() returns a Promise (FinalReturnTest)", async () => {
    expect((await server.fetch("/final_return")).text).toBe("hello,world");
    expect(finalReturn).toEqual([true]);
  });

  it("refuses write() and finish() after finish()", async () => {
    expect((await server.fetch("/write_after_finish")).text).toBe("first");
    expect(writeAfterFinish).toEqual(["true", "finish() called twice"]);
  });

  it("passes an object init argument to initialize, and spreads an array", async () => {
    expect((await server.fetch("/initialize")).text).toBe("hi there");
    expect((await server.fetch("/spread")).json()).toEqual({ parts: [1, "two"] });
  });

  it("calls onFinish after the response", async () => {
    await server.fetch("/on_finish");
    expect(finished).toEqual([200]);
  });
});
