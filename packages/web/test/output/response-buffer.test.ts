/**
 * The response a handler builds (status, headers, body, flush and finish framing), ported
 * from web_test.py (section 3.4 of the reference: NonWSGIWebTests, ClearHeaderTest,
 * Header204Test, Header304Test, DateHeaderTest, CacheTest, header injection, redirects, write
 * rules).
 */

import { RequestHandler, ResponseStateError, UnsafeHeaderValueError, WriteTypeError } from "@tornado/web";
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
    void this.finish();
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

class WriteAfterFinishHandler extends RequestHandler {
  override get() {
    void this.finish("first");
    const errors: string[] = [];
    try {
      this.write("x");
    } catch (error) {
      errors.push(String(error instanceof ResponseStateError));
    }
    try {
      void this.finish();
    } catch (error) {
      errors.push((error as Error).message);
    }
    writeAfterFinish.push(...errors);
  }
}
const writeAfterFinish: string[] = [];

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
      ["/etag/(.*)", EtagHandler],
      ["/redirect", RedirectingHandler],
      ["/write_after_finish", WriteAfterFinishHandler],
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

  it("refuses write() and finish() after finish()", async () => {
    expect((await server.fetch("/write_after_finish")).text).toBe("first");
    expect(writeAfterFinish).toEqual(["true", "finish() called twice"]);
  });
});
