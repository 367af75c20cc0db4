/**
 * RequestHandler's lifecycle, ported from web_test.py (section 3.4 of the reference:
 * FinishInPrepareTest, FinishExceptionTest, AllHTTPMethodsTest, Unimplemented*MethodsTest,
 * PatchMethodTest, RedirectHandlerTest, FinalReturnTest, initialize and onFinish).
 */

import { appLog } from "@tornado/ioloop";
import { ExpectLog } from "@tornado/testing";
import { Finish, HandlerReturnTypeError, RedirectHandler, RequestHandler } from "@tornado/web";
import { LogCapture, startApp, type TestServer } from "../support";

const logs = new LogCapture();
beforeAll(() => logs.start());
afterAll(() => logs.stop());

class FinishInPrepareHandler extends RequestHandler {
  override prepare() {
    void this.finish("done");
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

describe("RequestHandler lifecycle", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startApp([
      ["/finish_in_prepare", FinishInPrepareHandler],
      ["/finish_exception", FinishExceptionHandler],
      ["/echo", EchoMethodHandler],
      ["/nonstandard", NonStandardHandler],
      ["/bare", RequestHandler],
      ["/async_prepare", AsyncPrepareHandler],
      ["/final_return", FinalReturnHandler],
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

  it("passes an object init argument to initialize, and spreads an array", async () => {
    expect((await server.fetch("/initialize")).text).toBe("hi there");
    expect((await server.fetch("/spread")).json()).toEqual({ parts: [1, "two"] });
  });

  it("calls onFinish after the response", async () => {
    await server.fetch("/on_finish");
    expect(finished).toEqual([200]);
  });
});

// Tornado awaits whatever the method returns: `return "x"` raises TypeError ("object str
// can't be used in 'await' expression"), answered 500 and logged.
describe("what a handler method returns", () => {
  class ReturnsText extends RequestHandler {
    override get() {
      this.write("partial");
      return "x";
    }
  }
  class ReturnsNumberFromPost extends RequestHandler {
    override post(): unknown {
      return 42;
    }
  }
  class PrepareReturnsValue extends RequestHandler {
    override prepare() {
      return { done: true } as unknown as void;
    }
    override get() {
      this.write("must not run");
    }
  }
  class AsyncResolvesValue extends RequestHandler {
    override async get() {
      this.write("ok");
      return "ignored";
    }
  }
  class ReturnsPromiseOfFinish extends RequestHandler {
    override get() {
      return this.finish("finished");
    }
  }

  let server: TestServer;
  beforeAll(async () => {
    server = await startApp([
      ["/text", ReturnsText],
      ["/number", ReturnsNumberFromPost],
      ["/prepare", PrepareReturnsValue],
      ["/async", AsyncResolvesValue],
      ["/finish", ReturnsPromiseOfFinish],
    ]);
  });
  afterAll(() => server.close());

  it("answers 500 with a logged HandlerReturnTypeError for a value that is not a Promise", async () => {
    logs.clear();
    logs.expect(/Uncaught exception GET \/text/);
    const response = await server.fetch("/text");
    expect([response.status, response.text.includes("partial")]).toEqual([500, false]);
    const [record] = logs.matching(/Uncaught exception GET \/text/);
    expect(record?.error).toBeInstanceOf(HandlerReturnTypeError);
    expect((record?.error as Error).message).toBe(
      'ReturnsText.get() returned "x": a handler method returns undefined or a Promise (send a value with this.write())',
    );
  });

  it("logs on tornado.application, as any uncaught exception (ExpectLog)", async () => {
    logs.stop();
    try {
      const response = await ExpectLog.run(appLog, /Uncaught exception POST \/number/, () => server.fetch("/number", { method: "POST", body: "" }));
      expect(response.status).toBe(500);
    } finally {
      logs.start();
    }
  });

  it("checks prepare() the same way", async () => {
    logs.clear();
    logs.expect(/Uncaught exception GET \/prepare/);
    const response = await server.fetch("/prepare");
    expect([response.status, response.text.includes("must not run")]).toEqual([500, false]);
    const [record] = logs.matching(/Uncaught exception GET \/prepare/);
    expect((record?.error as Error).message).toMatch(/^PrepareReturnsValue\.prepare\(\) returned an object:/);
  });

  it("accepts a Promise, whatever it resolves to, and undefined", async () => {
    expect((await server.fetch("/async")).text).toBe("ok");
    expect((await server.fetch("/finish")).text).toBe("finished");
  });

  it("is a TornadoTypeError with a stable code", () => {
    const error = new HandlerReturnTypeError("x");
    expect([error instanceof TypeError, error.code, error.name]).toEqual([true, "TORNADO_ERR_WEB_HANDLER_RETURN_TYPE", "HandlerReturnTypeError"]);
  });
});
