/**
 * Input: path groups, arguments, decodeArgument, getJsonBody, getBrowserLocale. Ported from
 * web_test.py RequestEncodingTest, WSGISafeWebTest (decode_argument, get_argument family,
 * optional path, plus handling), GetArgumentErrorTest, PathArgsInPrepareTest,
 * NamedURLSpecGroupsTest and AcceptLanguageTest (without catalogs).
 */

import { MissingArgumentError, RequestHandler } from "@tornado/web";
import { LogCapture, LogLevel, startApp, type TestServer } from "../support";

const logs = new LogCapture();
beforeAll(() => logs.start());
afterAll(() => logs.stop());

class EchoHandler extends RequestHandler {
  override get(...pathArgs: unknown[]) {
    const args: Record<string, string[]> = {};
    for (const name of Object.keys(this.request.arguments)) args[name] = this.getArguments(name);
    this.write({ path: this.request.path, path_args: pathArgs, args });
  }
}

class TypeCheckHandler extends RequestHandler {
  override get(path: unknown) {
    const raw = this.request.arguments.foo?.[0];
    this.write({
      pathType: typeof path,
      argument: typeof this.getArgument("foo"),
      rawIsBuffer: Buffer.isBuffer(raw),
      status: typeof this.getStatus(),
      reversed: this.reverseUrl("typecheck", "foo"),
    });
  }
}

class DecodeArgHandler extends RequestHandler {
  override decodeArgument(value: Buffer, name?: string): string | Buffer {
    // getQueryArgument calls this too: read the raw query to avoid recursion.
    const encoding = this.request.queryArguments.encoding?.[0]?.toString("latin1");
    if (name === "encoding") return value.toString("latin1");
    if (encoding) return new TextDecoder(encoding).decode(value);
    return value;
  }
  override get(arg: unknown) {
    const describe = (value: unknown) => (Buffer.isBuffer(value) ? ["bytes", value.toString("hex")] : ["unicode", value]);
    this.write({ path: describe(arg), query: describe(this.getArgument("foo")) });
  }
}

class DecodeArgKwHandler extends DecodeArgHandler {
  override get(kwargs: unknown) {
    super.get((kwargs as { arg: unknown }).arg);
  }
}

class OptionalPathHandler extends RequestHandler {
  override get(path: string | null) {
    this.write({ path });
  }
}

class GetArgumentHandler extends RequestHandler {
  override prepare() {
    if (this.getArgument("source", null) === "query") this.write(this.getQueryArgument("foo", "default"));
    else if (this.getArgument("source", null) === "body") this.write(this.getBodyArgument("foo", "default"));
    else this.write(this.getArgument("foo", "default"));
  }
  override get() {}
  override post() {}
}

class GetArgumentsHandler extends RequestHandler {
  override post() {
    this.write({
      default: this.getArguments("foo"),
      query: this.getQueryArguments("foo"),
      body: this.getBodyArguments("foo"),
    });
  }
}

class StripHandler extends RequestHandler {
  override get() {
    this.write({ stripped: this.getArgument("foo"), raw: this.getArgument("foo", null, false) });
  }
}

class MissingArgumentHandler extends RequestHandler {
  override get() {
    try {
      this.getArgument("foo");
      this.write({});
    } catch (error) {
      const e = error as MissingArgumentError;
      this.write({ arg_name: e.argName, log_message: e.logMessage, isMissing: e instanceof MissingArgumentError, status: e.statusCode });
    }
  }
}

class RequiredArgumentHandler extends RequestHandler {
  override get() {
    this.write(this.getArgument("required"));
  }
}

class PathArgsInPrepareHandler extends RequestHandler {
  override prepare() {
    this.write({ args: this.pathArgs, kwargs: this.pathKwargs });
  }
  override get() {
    // Tornado checks that path args reach the method too.
  }
}

class NamedGroupHandler extends RequestHandler {
  override get(kwargs: { path: string }) {
    this.write(kwargs.path);
  }
}

class JsonBodyHandler extends RequestHandler {
  override post() {
    this.write({ got: this.getJsonBody() as Record<string, unknown> });
  }
}

class LocaleHandler extends RequestHandler {
  override get() {
    this.write(this.locale.code);
  }
}

describe("RequestHandler input", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startApp([
      ["/group/(.*)", EchoHandler],
      ["/slashes/([^/]*)/([^/]*)", EchoHandler],
      ["/typecheck/(.*)", TypeCheckHandler, undefined, "typecheck"],
      ["/decode_arg/(.*)", DecodeArgHandler],
      ["/decode_arg_kw/(?P<arg>.*)", DecodeArgKwHandler],
      ["/optional_path/(.+)?", OptionalPathHandler],
      ["/get_argument", GetArgumentHandler],
      ["/get_arguments", GetArgumentsHandler],
      ["/strip", StripHandler],
      ["/missing", MissingArgumentHandler],
      ["/required", RequiredArgumentHandler],
      ["/pos/(.*)", PathArgsInPrepareHandler],
      ["/kw/(?P<path>.*)", PathArgsInPrepareHandler],
      ["/str/(?P<path>.*)", NamedGroupHandler],
      ["/unicode/(?P<path>.*)", NamedGroupHandler],
      ["/json_body", JsonBodyHandler],
      ["/locale", LocaleHandler],
    ]);
  });
  afterAll(() => server.close());

  it.each([
    ["/group/%3F", { path: "/group/%3F", path_args: ["?"], args: {} }],
    ["/group/%3F?%3F=%3F", { path: "/group/%3F", path_args: ["?"], args: { "?": ["?"] } }],
    ["/group/%C3%A9?arg=%C3%A9", { path: "/group/%C3%A9", path_args: ["é"], args: { arg: ["é"] } }],
    ["/slashes/foo/bar", { path: "/slashes/foo/bar", path_args: ["foo", "bar"], args: {} }],
    ["/slashes/a%2Fb/c%2Fd", { path: "/slashes/a%2Fb/c%2Fd", path_args: ["a/b", "c/d"], args: {} }],
  ])("decodes %s (RequestEncodingTest)", async (path, expected) => {
    expect((await server.fetch(path)).json()).toEqual(expected);
  });

  it("answers 400 for invalid UTF-8, logging it without breaking on %", async () => {
    logs.clear();
    expect((await server.fetch("/group/?arg=%25%e9")).status).toBe(400);
    expect(logs.matching(/Invalid unicode/, LogLevel.WARNING).length).toBe(1);
    expect((await server.fetch("/typecheck/invalid%FF")).status).toBe(400);
    expect((await server.fetch("/typecheck/invalid?foo=%FF")).status).toBe(400);
  });

  it("gives strings for arguments and path groups, Buffers for raw values", async () => {
    expect((await server.fetch("/typecheck/asdf?foo=bar")).json()).toEqual({
      pathType: "string",
      argument: "string",
      rawIsBuffer: true,
      status: "number",
      reversed: "/typecheck/foo",
    });
  });

  it.each([
    ["/decode_arg/%C3%A9?foo=%C3%A9&encoding=utf-8", { path: ["unicode", "é"], query: ["unicode", "é"] }],
    ["/decode_arg/%E9?foo=%E9&encoding=latin1", { path: ["unicode", "é"], query: ["unicode", "é"] }],
    ["/decode_arg_kw/%E9?foo=%E9&encoding=latin1", { path: ["unicode", "é"], query: ["unicode", "é"] }],
    ["/decode_arg/%C3%A9?foo=%C3%A9", { path: ["bytes", "c3a9"], query: ["bytes", "c3a9"] }],
  ])("lets decodeArgument be overridden: %s", async (path, expected) => {
    expect((await server.fetch(path)).json()).toEqual(expected);
  });

  it("keeps + literal in the path and a space in the query", async () => {
    for (const path of ["/decode_arg/1%20%2B%201?foo=1%20%2B%201&encoding=utf-8", "/decode_arg/1%20+%201?foo=1+%2B+1&encoding=utf-8"]) {
      expect((await server.fetch(path)).json()).toEqual({ path: ["unicode", "1 + 1"], query: ["unicode", "1 + 1"] });
    }
  });

  it("passes null for an optional group that did not match", async () => {
    expect((await server.fetch("/optional_path/foo")).json()).toEqual({ path: "foo" });
    expect((await server.fetch("/optional_path/")).json()).toEqual({ path: null });
  });

  it("getArgument: value, empty, default, body wins", async () => {
    expect((await server.fetch("/get_argument?foo=bar")).text).toBe("bar");
    expect((await server.fetch("/get_argument?foo=")).text).toBe("");
    expect((await server.fetch("/get_argument")).text).toBe("default");
    const post = await server.fetch("/get_argument?foo=bar", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "foo=hello",
    });
    expect(post.text).toBe("hello");
  });

  it("getArguments per source", async () => {
    const response = await server.fetch("/get_arguments?foo=bar", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "foo=hello",
    });
    expect(response.json()).toEqual({ default: ["bar", "hello"], query: ["bar"], body: ["hello"] });
  });

  it("getQueryArgument and getBodyArgument", async () => {
    const form = { "Content-Type": "application/x-www-form-urlencoded" };
    const post = (path: string, body: string) => server.fetch(path, { method: "POST", headers: form, body });
    expect((await post("/get_argument?source=query&foo=bar", "foo=hello")).text).toBe("bar");
    expect((await post("/get_argument?source=query&foo=", "foo=hello")).text).toBe("");
    expect((await post("/get_argument?source=query", "foo=hello")).text).toBe("default");
    expect((await post("/get_argument?source=body", "foo=bar")).text).toBe("bar");
    expect((await post("/get_argument?source=body", "foo=")).text).toBe("");
    expect((await post("/get_argument?source=body", "")).text).toBe("default");
  });

  it("strips and replaces control characters", async () => {
    expect((await server.fetch("/strip?foo=%20a%01b%20")).json()).toEqual({ stripped: "a b", raw: " a b " });
  });

  it("MissingArgumentError carries argName and the log message (GetArgumentErrorTest)", async () => {
    expect((await server.fetch("/missing")).json()).toEqual({
      arg_name: "foo",
      log_message: "Missing argument foo",
      isMissing: true,
      status: 400,
    });
    logs.clear();
    const response = await server.fetch("/required");
    expect(response.status).toBe(400);
    expect(response.text).toContain("400: Bad Request");
    expect(logs.matching(/400 GET \/required \(127\.0\.0\.1\): Missing argument required/).length).toBe(1);
  });

  it("sets pathArgs and pathKwargs before prepare (PathArgsInPrepareTest)", async () => {
    expect((await server.fetch("/pos/foo")).json()).toEqual({ args: ["foo"], kwargs: {} });
    expect((await server.fetch("/kw/foo")).json()).toEqual({ args: [], kwargs: { path: "foo" } });
  });

  it("passes named groups as one object (NamedURLSpecGroupsTest)", async () => {
    expect((await server.fetch("/str/foo")).text).toBe("foo");
    expect((await server.fetch("/unicode/bar")).text).toBe("bar");
  });

  it("getJsonBody parses JSON and answers 400 otherwise", async () => {
    const send = (contentType: string, body: string) =>
      server.fetch("/json_body", { method: "POST", headers: { "Content-Type": contentType }, body });
    expect((await send("application/json", '{"a":[1,2]}')).json()).toEqual({ got: { a: [1, 2] } });
    expect((await send("application/problem+json; charset=utf-8", '{"a":1}')).json()).toEqual({ got: { a: 1 } });
    expect((await send("application/json", "{nope")).status).toBe(400);
    expect((await send("text/plain", '{"a":1}')).status).toBe(400);
  });

  it.each([
    ["fr-FR;q=0.9", "en_US"],
    ["", "en_US"],
    ["fr-FR;q=0", "en_US"],
  ])("getBrowserLocale with Accept-Language %s (no catalogs loaded)", async (header, code) => {
    const headers: Record<string, string> = header ? { "Accept-Language": header } : {};
    expect((await server.fetch("/locale", { headers })).text).toBe(code);
  });
});
