/**
 * Hostile arguments through a real Application on a loopback port (issue 18): field limits on
 * query strings, urlencoded and multipart bodies (413 / 414 with the reason logged), no body
 * parsing for a method the handler lacks (405 first), getArgument free of stack limits, and a
 * Cookie header with 10,000 cookies.
 */

import { RequestHandler } from "@tornado/web";
import { LogCapture, LogLevel, startApp, type TestServer } from "../support";

const logs = new LogCapture();
beforeAll(() => logs.start());
afterAll(() => logs.stop());

const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

function fields(count: number, name = (i: number) => `f${i}`): string {
  const parts = new Array<string>(count);
  for (let i = 0; i < count; i++) parts[i] = `${name(i)}=${i}`;
  return parts.join("&");
}

class GetOnlyHandler extends RequestHandler {
  override get() {
    this.write("get");
  }
}

class EchoHandler extends RequestHandler {
  override get() {
    this.write({ count: this.getArguments("a").length, last: this.getArgument("a", null) });
  }
  override post() {
    this.write({ count: this.getArguments("a").length, last: this.getArgument("a", null), files: Object.keys(this.request.files) });
  }
}

class NoArgumentsHandler extends RequestHandler {
  override get() {
    this.write("fine");
  }
}

class CookieHandler extends RequestHandler {
  override get() {
    this.write({ size: this.request.cookies.size, last: this.getCookie((9999).toString(36)) ?? null });
  }
}

describe("argument limits (defaults: 1000 urlencoded fields, 100 multipart parts)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startApp([
      ["/get-only", GetOnlyHandler],
      ["/echo", EchoHandler],
      ["/quiet", NoArgumentsHandler],
      ["/cookies", CookieHandler],
    ]);
  });
  afterAll(() => server.close());
  beforeEach(() => logs.clear());

  it("answers 413 to a urlencoded body of 1,000,000 fields and logs why", async () => {
    const response = await server.fetch("/echo", { method: "POST", headers: FORM, body: fields(1_000_000) });
    expect(response.status).toBe(413);
    expect(logs.matching(/413 POST \/echo .*Invalid body: Too many arguments in the body: more than 1000 fields/, LogLevel.WARNING)).toHaveLength(1);
  });

  it("parses a body of exactly 1000 fields", async () => {
    const body = fields(1000, () => "a");
    expect((await server.fetch("/echo", { method: "POST", headers: FORM, body })).json()).toEqual({ count: 1000, last: "999", files: [] });
  });

  it("answers 405 before parsing a body sent to a method the handler lacks", async () => {
    // Over the field limit and malformed multipart: had either been parsed, the answer would be 413 or 400.
    const urlencoded = await server.fetch("/get-only", { method: "POST", headers: FORM, body: fields(1_000_000) });
    expect(urlencoded.status).toBe(405);
    const multipart = await server.fetch("/get-only", {
      method: "PUT",
      headers: { "Content-Type": "multipart/form-data; boundary=B" },
      body: "garbage",
    });
    expect(multipart.status).toBe(405);
    expect(logs.matching(/Invalid body/)).toEqual([]);
  });

  it("answers 413 to a multipart body of 100,000 parts", async () => {
    const part = '--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n';
    const body = part.repeat(100_000) + "--B--\r\n";
    const response = await server.fetch("/echo", { method: "POST", headers: { "Content-Type": "multipart/form-data; boundary=B" }, body });
    expect(response.status).toBe(413);
    expect(logs.matching(/413 POST \/echo .*too many parts \(more than 100\)/, LogLevel.WARNING)).toHaveLength(1);
  });

  it("answers 414 to a query string of 1,000,000 fields (over the 64 KiB head: never parsed)", async () => {
    const response = await server.fetch(`/echo?${fields(1_000_000, () => "a")}`);
    expect(response.status).toBe(414);
  });

  it("answers 414 when a handler reads a query string of 2,000 fields, and never parses an unread one", async () => {
    const query = fields(2000, () => "a");
    const read = await server.fetch(`/echo?${query}`);
    expect(read.status).toBe(414);
    expect(logs.matching(/414 GET \/echo.*Too many arguments in the query string: more than 1000 fields/, LogLevel.WARNING)).toHaveLength(1);
    const unread = await server.fetch(`/quiet?${query}`);
    expect([unread.status, unread.text]).toEqual([200, "fine"]);
  });

  it("reads a Cookie header of 10,000 cookies (within the default 64 KiB head)", async () => {
    const cookie = Array.from({ length: 10_000 }, (_, i) => `${i.toString(36)}=${i % 10}`).join(";");
    const response = await server.fetch("/cookies", { headers: { Cookie: cookie } });
    expect(response.json()).toEqual({ size: 10_000, last: "9" });
  });
});

describe("argument limits raised through the server's parseBodyConfig", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startApp([["/echo", EchoHandler]], {}, { parseBodyConfig: { urlencoded: { maxArguments: 300_000 }, multipart: { maxParts: 2 } } });
  });
  afterAll(() => server.close());

  it("merges 200,000 body values with the query's without a stack overflow", async () => {
    const body = fields(200_000, () => "a");
    const response = await server.fetch("/echo?a=query", { method: "POST", headers: FORM, body });
    expect(response.json()).toEqual({ count: 200_001, last: "199999", files: [] });
  });

  it("applies the server's multipart limit", async () => {
    const part = (name: string) => `--B\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.txt"\r\n\r\nx\r\n`;
    const headers = { "Content-Type": "multipart/form-data; boundary=B" };
    const two = await server.fetch("/echo", { method: "POST", headers, body: part("f1") + part("f2") + "--B--\r\n" });
    expect(two.json()).toEqual({ count: 0, last: null, files: ["f1", "f2"] });
    const three = await server.fetch("/echo", { method: "POST", headers, body: part("f1") + part("f2") + part("f3") + "--B--\r\n" });
    expect(three.status).toBe(413);
  });
});
