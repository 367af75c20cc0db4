/**
 * Errors: HTTPError and friends as classes, and how handlers answer them. Ported from
 * web_test.py ErrorResponseTest, StatusReasonTest, RaiseWithReasonTest, ExceptionHandlerTest,
 * BuggyLoggingTest, Default404Test, Custom404Test, DefaultHandlerArgumentsTest,
 * HTTPErrorTest and RequestSummaryTest.
 */

import { HTTPHeaders } from "@tornado/httputil";
import { HTTPServerRequest } from "@tornado/httpserver";
import {
  Application,
  ErrorHandler,
  Finish,
  HTTPError,
  MissingArgumentError,
  RequestHandler,
  WEB_ERROR_CODES,
  type ErrorDetails,
} from "@tornado/web";
import { LogCapture, LogLevel, startApp, type TestServer } from "./support";

const logs = new LogCapture();
beforeAll(() => logs.start());
afterAll(() => logs.stop());

describe("HTTPError", () => {
  it("formats like Tornado's str()", () => {
    expect(String(new HTTPError(682, { reason: "Foo" }))).toBe("HTTP 682: Foo");
    expect(String(new HTTPError(682))).toBe("HTTP 682: Unknown");
    expect(String(new HTTPError(404, "no %s here", "cake"))).toBe("HTTP 404: Not Found (no cake here)");
    expect(new HTTPError(404, "100%").getMessage()).toBe("100%");
    expect(new HTTPError().statusCode).toBe(500);
  });

  it("takes a trailing options object after format args", () => {
    const error = new HTTPError(410, "gone: %s", "x", { reason: "Gone Away" });
    expect([error.reason, error.getMessage(), error.args]).toEqual(["Gone Away", "gone: x", ["x"]]);
  });

  it("keeps statusCode and reason in a shallow copy (HTTPErrorTest)", () => {
    const copy = Object.assign(Object.create(HTTPError.prototype), new HTTPError(403, { reason: "Go away" })) as HTTPError;
    expect([copy.statusCode, copy.reason]).toEqual([403, "Go away"]);
  });

  it("has codes, names and cross-copy instanceof", () => {
    const error = new MissingArgumentError("foo");
    expect(error).toBeInstanceOf(HTTPError);
    expect(error.code).toBe(WEB_ERROR_CODES.MissingArgumentError);
    expect(error.name).toBe("MissingArgumentError");
    const foreign = { [Symbol.for(`tornado.error.${WEB_ERROR_CODES.HTTPError}`)]: true };
    expect(foreign instanceof HTTPError).toBe(true);
    // A second copy of the package (another installed version): its errors are ours too.
    let copy: typeof import("../src/errors") | undefined;
    jest.isolateModules(() => {
      copy = require("../src/errors") as typeof import("../src/errors");
    });
    expect(copy!.HTTPError).not.toBe(HTTPError);
    expect(new copy!.MissingArgumentError("foo") instanceof HTTPError).toBe(true);
    expect(new HTTPError(404) instanceof copy!.HTTPError).toBe(true);
    expect(new Finish()).toBeInstanceOf(Finish);
  });

  it("validates the status code", () => {
    expect(() => new HTTPError(42)).toThrow(/statusCode must be an integer/);
  });
});

describe("_requestSummary (RequestSummaryTest)", () => {
  it("formats method, uri and remote ip", () => {
    const request = new HTTPServerRequest({ method: "GET", uri: "/", headers: new HTTPHeaders() });
    (request as { remoteIp: unknown }).remoteIp = null;
    const handler = new RequestHandler(new Application(), request);
    expect(handler._requestSummary()).toBe("GET / (null)");
  });
});

class DefaultErrorHandler extends RequestHandler {
  override async get() {
    const kind = this.getArgument("kind", "zero");
    if (kind === "zero") throw new RangeError("division by zero");
    if (kind === "503") throw new HTTPError(503);
    if (kind === "435") throw new HTTPError(435);
    if (kind === "async") {
      await new Promise((resolve) => setTimeout(resolve, 1));
      throw new Error("async failure");
    }
    if (kind === "send_error") this.sendError(503);
    if (kind === "reason") throw new HTTPError(Number(this.getArgument("code")), { reason: this.getArgument("reason", undefined) });
  }
}

class WriteErrorHandler extends RequestHandler {
  override get() {
    if (this.getArgument("status", null)) this.sendError(Number(this.getArgument("status")));
    else throw new TypeError("nope");
  }
  override writeError(statusCode: number, details: ErrorDetails) {
    this.setHeader("Content-Type", "text/plain");
    if (details.error !== undefined) this.write(`Exception: ${(details.error as Error).name}`);
    else this.write(`Status: ${statusCode}`);
  }
}

class FailedWriteErrorHandler extends RequestHandler {
  override get() {
    throw new TypeError("first");
  }
  override writeError() {
    throw new Error("second");
  }
}

class PermissionError extends Error {}

class ExceptionHandler extends RequestHandler {
  override get(kind: string) {
    if (kind === "http") throw new HTTPError(410, "no longer here");
    if (kind === "zero") throw new RangeError("division by zero");
    throw new PermissionError("not allowed");
  }
  override writeError(statusCode: number, details: ErrorDetails) {
    if (details.error instanceof PermissionError) {
      this.setStatus(403);
      this.write("PermissionError");
    } else {
      super.writeError(statusCode, details);
    }
  }
  override logException(error: unknown) {
    if (error instanceof PermissionError) logs.records.push({ name: "custom", level: LogLevel.WARNING, message: `custom logging for PermissionError: ${(error as Error).message}`, created: 0 });
    else super.logException(error);
  }
}

class BuggyLoggingHandler extends RequestHandler {
  override get() {
    throw new Error("handler failure");
  }
  override logException() {
    throw new Error("logger failure");
  }
}

class Custom404 extends RequestHandler {
  override get() {
    this.setStatus(404);
    this.write("custom 404 response");
  }
}

class InitThrowsHandler extends RequestHandler {
  override initialize() {
    throw new Error("initialize failed");
  }
  override get() {
    this.write("unreachable");
  }
}

describe("error responses", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startApp([
      ["/default", DefaultErrorHandler],
      ["/write_error", WriteErrorHandler],
      ["/failed_write_error", FailedWriteErrorHandler],
      ["/exception/(.*)", ExceptionHandler],
      ["/buggy", BuggyLoggingHandler],
      ["/error_417", ErrorHandler, { statusCode: 417 }],
      ["/init_throws", InitThrowsHandler],
    ]);
  });
  afterAll(() => server.close());

  it("turns an exception into 500 and logs it with the request (ErrorResponseTest)", async () => {
    logs.clear();
    const response = await server.fetch("/default");
    expect(response.status).toBe(500);
    expect(response.text).toContain("500: Internal Server Error");
    const [record] = logs.matching(/Uncaught exception GET \/default \(127\.0\.0\.1\)/, LogLevel.ERROR);
    expect(record.message).toContain("HTTPServerRequest(");
    expect((record.error as Error).message).toBe("division by zero");
  });

  it("answers HTTPError with its status and the standard or Unknown reason", async () => {
    expect((await server.fetch("/default?kind=503")).text).toContain("503: Service Unavailable");
    const unknown = await server.fetch("/default?kind=435");
    expect([unknown.status, unknown.reason]).toEqual([435, "Unknown"]);
    expect(unknown.text).toContain("435: Unknown");
  });

  it("survives errors thrown after an await", async () => {
    expect((await server.fetch("/default?kind=async")).status).toBe(500);
    expect((await server.fetch("/default?kind=503")).status).toBe(503);
  });

  it("uses a custom writeError, with and without an error", async () => {
    expect((await server.fetch("/write_error")).text).toBe("Exception: TypeError");
    const response = await server.fetch("/write_error?status=503");
    expect([response.status, response.text]).toEqual([503, "Status: 503"]);
  });

  it("sends an empty 500 when writeError throws", async () => {
    logs.clear();
    const response = await server.fetch("/failed_write_error");
    expect([response.status, response.text]).toEqual([500, ""]);
    expect(logs.matching(/Uncaught exception in writeError/).length).toBe(1);
  });

  it.each([
    [304, undefined, "Not Modified"],
    [304, "Foo", "Foo"],
    [682, "Bar", "Bar"],
    [682, undefined, "Unknown"],
    [400, "OK\r\nX-Injection:injected", "Unknown"],
    [400, "<script>alert(1)</script>", "Unknown"],
  ])("status %i with reason %j gives %j (StatusReasonTest)", async (code, reason, expected) => {
    const query = `kind=reason&code=${code}` + (reason === undefined ? "" : `&reason=${encodeURIComponent(reason)}`);
    const response = await server.fetch(`/default?${query}`);
    expect(response.status).toBe(code);
    expect(response.reason).toBe(expected);
    expect(response.headers["x-injection"]).toBeUndefined();
    if (reason?.startsWith("<")) {
      expect(response.text).toContain("Unknown");
      expect(response.text).not.toContain("script");
    }
  });

  it("puts the reason in the page (RaiseWithReasonTest)", async () => {
    const response = await server.fetch("/default?kind=reason&code=682&reason=Foo");
    expect([response.status, response.reason]).toEqual([682, "Foo"]);
    expect(response.text).toContain("682: Foo");
  });

  it("logs HTTPError messages as warnings, others as errors (ExceptionHandlerTest)", async () => {
    logs.clear();
    expect((await server.fetch("/exception/http")).status).toBe(410);
    expect(logs.matching(/410 GET \/exception\/http \(127\.0\.0\.1\): no longer here/, LogLevel.WARNING).length).toBe(1);
    expect((await server.fetch("/exception/zero")).status).toBe(500);
    expect(logs.matching(/Uncaught exception/, LogLevel.ERROR).length).toBe(1);
    const custom = await server.fetch("/exception/permission");
    expect([custom.status, custom.text]).toEqual([403, "PermissionError"]);
    expect(logs.matching(/custom logging for PermissionError: not allowed/).length).toBe(1);
  });

  it("still answers when logException throws (BuggyLoggingTest)", async () => {
    logs.clear();
    expect((await server.fetch("/buggy")).status).toBe(500);
    expect(logs.matching(/Error in exception logger/).length).toBe(1);
  });

  it("ErrorHandler answers its status", async () => {
    expect((await server.fetch("/error_417")).status).toBe(417);
  });

  it("answers 500 when initialize throws", async () => {
    expect((await server.fetch("/init_throws")).status).toBe(500);
  });

  it("serves tracebacks with serveTraceback / debug", async () => {
    const debug = await startApp([["/default", DefaultErrorHandler]], { debug: true });
    try {
      const response = await debug.fetch("/default");
      expect(response.status).toBe(500);
      expect(response.headers["content-type"]).toBe("text/plain");
      expect(response.text).toContain("RangeError: division by zero");
    } finally {
      await debug.close();
    }
  });
});

describe("default handlers", () => {
  it("answers the exact default 404 page (Default404Test)", async () => {
    const server = await startApp([["/foo", RequestHandler]]);
    try {
      const response = await server.fetch("/");
      expect(response.status).toBe(404);
      expect(response.text).toBe("<html><title>404: Not Found</title><body>404: Not Found</body></html>");
    } finally {
      await server.close();
    }
  });

  it("uses defaultHandlerClass (Custom404Test)", async () => {
    const server = await startApp([["/foo", RequestHandler]], { defaultHandlerClass: Custom404 });
    try {
      const response = await server.fetch("/");
      expect([response.status, response.text]).toEqual([404, "custom 404 response"]);
    } finally {
      await server.close();
    }
  });

  it("passes defaultHandlerArgs (DefaultHandlerArgumentsTest)", async () => {
    const server = await startApp([["/foo", RequestHandler]], { defaultHandlerClass: ErrorHandler, defaultHandlerArgs: { statusCode: 403 } });
    try {
      expect((await server.fetch("/")).status).toBe(403);
    } finally {
      await server.close();
    }
  });
});
