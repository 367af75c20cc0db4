// AsyncHTTPClient against node:http on loopback; cases ported from Tornado's
// httpclient_test.py (HTTPClientCommonTestCase) where they apply.
import { gunzipSync } from "node:zlib";
import {
  AsyncHTTPClient,
  DEFAULT_USER_AGENT,
  HTTPClientError,
  HTTPRequest,
  HTTPStreamClosedError,
  HTTPTimeoutError,
} from "@tornado/httpclient";
import { HTTPHeaders } from "@tornado/httputil";
import { startServer, type TestServer } from "./helpers";

let server: TestServer;
let client: AsyncHTTPClient;

beforeEach(async () => {
  server = await startServer();
  client = new AsyncHTTPClient();
});

afterEach(async () => {
  await client.close();
  await server.close();
});

describe("basic requests", () => {
  test("hello world (test_hello_world)", async () => {
    const response = await client.fetch(server.url("/hello"));
    expect(response.code).toBe(200);
    expect(response.reason).toBe("OK");
    expect(response.headers.get("Content-Type")).toBe("text/plain");
    expect(response.body.equals(Buffer.from("Hello world!"))).toBe(true);
    expect(response.text).toBe("Hello world!");
    expect(response.requestTime).toBeGreaterThanOrEqual(0);
    expect(response.startTime).toBeGreaterThan(1_600_000_000);
    expect(response.effectiveUrl).toBe(server.url("/hello"));
    expect(response.error).toBeUndefined();
    expect(() => response.rethrow()).not.toThrow();
    expect((await client.fetch(server.url("/hello?name=Ben"))).text).toBe("Hello Ben!");
  });

  test("post with a form body (test_post)", async () => {
    const response = await client.fetch(server.url("/post"), { method: "POST", body: "arg1=foo&arg2=bar" });
    expect(response.code).toBe(200);
    expect(response.text).toBe("Post arg1: foo, arg2: bar");
  });

  test("POST gets a form Content-Type unless given", async () => {
    const response = await client.fetch(server.url("/echo_headers"), { method: "POST", body: "" });
    const raw: string[] = JSON.parse(response.text);
    expect(raw).toContain("application/x-www-form-urlencoded");
    const typed = await client.fetch(server.url("/echo_headers"), {
      method: "POST",
      body: "{}",
      headers: { "Content-Type": "application/json" },
    });
    expect(JSON.parse(typed.text)).not.toContain("application/x-www-form-urlencoded");
  });

  test("unicode and binary bodies (test_body_encoding)", async () => {
    const unicode = await client.fetch(server.url("/echopost"), { method: "POST", body: "\u00e9" });
    expect(unicode.body.equals(Buffer.from("\u00e9", "utf8"))).toBe(true);
    const binary = Buffer.from([0xe9, 0x00, 0xff]);
    const echoed = await client.fetch(server.url("/echopost"), { method: "POST", body: binary });
    expect(echoed.body.equals(binary)).toBe(true);
  });

  test("every method (test_all_methods)", async () => {
    for (const method of ["GET", "DELETE", "OPTIONS"]) {
      const response = await client.fetch(server.url("/all_methods"), { method });
      expect(response.text).toBe(method);
    }
    for (const method of ["POST", "PUT", "PATCH"]) {
      const response = await client.fetch(server.url("/all_methods"), { method, body: "" });
      expect(response.text).toBe(method);
    }
    const head = await client.fetch(server.url("/all_methods"), { method: "HEAD" });
    expect(head.text).toBe("");
    expect(head.headers.get("method")).toBe("HEAD");
    const other = await client.fetch(server.url("/all_methods"), { method: "PROPFIND", allowNonstandardMethods: true });
    expect(other.text).toBe("PROPFIND");
  });

  test("headers as an object, with arrays, or as HTTPHeaders", async () => {
    const headers = new HTTPHeaders();
    headers.add("X-Multi", "a");
    headers.add("X-Multi", "b");
    for (const given of [headers, { "X-Multi": ["a", "b"] }]) {
      const response = await client.fetch(server.url("/echo_headers"), { headers: given });
      const raw: string[] = JSON.parse(response.text);
      const values = raw.filter((_, i) => i % 2 === 1 && raw[i - 1]!.toLowerCase() === "x-multi");
      expect(values).toEqual(["a", "b"]);
    }
  });

  test("response headers keep every value (multi-valued Set-Cookie)", async () => {
    const local = await startServer({
      "/cookies": (_request, response) => {
        response.setHeader("Set-Cookie", ["a=1", "b=2"]);
        response.end();
      },
    });
    try {
      const response = await client.fetch(local.url("/cookies"));
      expect(response.headers.getList("Set-Cookie")).toEqual(["a=1", "b=2"]);
    } finally {
      await local.close();
    }
  });

  test("a 304 with a Content-Length has no body (test_304_with_content_length)", async () => {
    const response = await client.fetch(server.url("/304_with_content_length"), { raiseError: false });
    expect(response.code).toBe(304);
    expect(response.headers.get("Content-Length")).toBe("42");
    expect(response.body.length).toBe(0);
  });

  test("user agent: default, option, header, client defaults (test_default_user_agent)", async () => {
    expect((await client.fetch(server.url("/user_agent"))).text).toBe(DEFAULT_USER_AGENT);
    expect((await client.fetch(server.url("/user_agent"), { userAgent: "TestAgent/1" })).text).toBe("TestAgent/1");
    expect((await client.fetch(server.url("/user_agent"), { headers: { "User-Agent": "H/1" } })).text).toBe("H/1");
    const withDefaults = new AsyncHTTPClient({ defaults: { userAgent: "Defaulted/2" } });
    try {
      expect((await withDefaults.fetch(server.url("/user_agent"))).text).toBe("Defaulted/2");
      expect((await withDefaults.fetch(server.url("/user_agent"), { userAgent: "Mine/3" })).text).toBe("Mine/3");
    } finally {
      await withDefaults.close();
    }
  });

  test("ifModifiedSince sends an HTTP date (HTTPRequestTestCase.test_if_modified_since)", async () => {
    const when = new Date(Date.UTC(2020, 0, 2, 3, 4, 5));
    for (const since of [when, when.getTime() / 1000]) {
      const raw: string[] = JSON.parse((await client.fetch(server.url("/echo_headers"), { ifModifiedSince: since })).text);
      expect(raw[raw.findIndex((name) => name.toLowerCase() === "if-modified-since") + 1]).toBe(
        "Thu, 02 Jan 2020 03:04:05 GMT",
      );
    }
  });

  test("an HTTPRequest object can be fetched", async () => {
    const request = new HTTPRequest(server.url("/put"), { method: "PUT", body: "x" });
    const response = await client.fetch(request);
    expect(response.request).toBe(request);
    expect(response.text).toBe("Put body: x");
  });
});

describe("errors", () => {
  test("non-2xx raises HTTPClientError with the response (test_error_with_response)", async () => {
    const error = await client.fetch(server.url("/status?code=404&body=nope")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPClientError);
    const clientError = error as HTTPClientError;
    expect(clientError.code).toBe(404);
    expect(clientError.message).toBe("HTTP 404: Not Found");
    expect(clientError.errorCode).toBe("TORNADO_ERR_HTTPCLIENT_HTTP_STATUS");
    expect(clientError.response!.code).toBe(404);
    expect(clientError.response!.text).toBe("nope");
  });

  test("raiseError false returns the response with its error", async () => {
    const response = await client.fetch(server.url("/status?code=418&reason=Teapot"), { raiseError: false });
    expect(response.code).toBe(418);
    expect(response.reason).toBe("Teapot");
    expect(response.error).toBeInstanceOf(HTTPClientError);
    expect(response.error!.message).toBe("HTTP 418: Teapot");
    expect(response.error!.response).toBe(response);
    expect(() => response.rethrow()).toThrow(response.error!);
  });

  test("connection refused is a 599 HTTPStreamClosedError even with raiseError false", async () => {
    const closed = await startServer();
    const url = closed.url("/");
    await closed.close();
    const error = await client.fetch(url, { raiseError: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPStreamClosedError);
    const streamError = error as HTTPStreamClosedError;
    expect(streamError.code).toBe(599);
    expect((streamError.realError as NodeJS.ErrnoException).code).toBe("ECONNREFUSED");
    expect(streamError.response!.code).toBe(599);
    expect(streamError.response!.error).toBe(streamError);
  });

  test("a connection closed before the answer is HTTPStreamClosedError", async () => {
    await expect(client.fetch(server.url("/destroy"))).rejects.toBeInstanceOf(HTTPStreamClosedError);
  });

  test("a connection closed in the middle of the body is HTTPStreamClosedError", async () => {
    await expect(client.fetch(server.url("/half"))).rejects.toBeInstanceOf(HTTPStreamClosedError);
  });

  test("requestTimeout gives HTTPTimeoutError 'Timeout during request' (test_request_timeout)", async () => {
    const error = await client.fetch(server.url("/never"), { requestTimeout: 0.1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPTimeoutError);
    expect(error).toBeInstanceOf(HTTPClientError);
    expect((error as HTTPTimeoutError).code).toBe(599);
    expect((error as HTTPTimeoutError).message).toBe("HTTP 599: Timeout during request");
    // The client is still usable afterwards.
    expect((await client.fetch(server.url("/hello"))).code).toBe(200);
  });

  test("a throwing streamingCallback fails the fetch with that error", async () => {
    const boom = new Error("boom");
    const fetching = client.fetch(server.url("/hello"), {
      streamingCallback: () => {
        throw boom;
      },
    });
    await expect(fetching).rejects.toBe(boom);
  });
});

describe("bodies", () => {
  test("streamingCallback receives the chunks, body stays empty (test_streaming_callback)", async () => {
    const chunks: string[] = [];
    const response = await client.fetch(server.url("/chunk"), {
      streamingCallback: (chunk) => {
        chunks.push(chunk.toString());
        if (chunks.length === 1) server.release();
      },
    });
    expect(chunks).toEqual(["asdf", "qwer"]);
    expect(response.body.length).toBe(0);
  });

  test("headerCallback sees every line before the body (test_header_callback)", async () => {
    const firstLines: string[] = [];
    const headers: Record<string, string> = {};
    const chunks: string[] = [];
    let ends = 0;
    await client.fetch(server.url("/chunk"), {
      headerCallback: (line) => {
        if (line.startsWith("HTTP/")) firstLines.push(line);
        else if (line === "\r\n") ends++;
        else {
          const colon = line.indexOf(":");
          headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
        }
      },
      streamingCallback: (chunk) => {
        expect(headers["content-type"]).toBe("text/html; charset=UTF-8");
        chunks.push(chunk.toString());
        if (chunks.length === 1) server.release();
      },
    });
    expect(firstLines).toHaveLength(1);
    expect(firstLines[0]).toMatch(/^HTTP\/[0-9]\.[0-9] 200.*\r\n$/);
    expect(ends).toBe(1);
    expect(chunks).toEqual(["asdf", "qwer"]);
  });

  test("gzip is requested and decoded; decompressResponse false keeps it (test_gzip)", async () => {
    const decoded = await client.fetch(server.url("/gzip"));
    expect(decoded.text).toBe("asdfqwer".repeat(100));
    expect(decoded.headers.has("Content-Encoding")).toBe(false);
    expect(decoded.headers.get("X-Consumed-Content-Encoding")).toBe("gzip");

    const raw = await client.fetch(server.url("/gzip"), {
      decompressResponse: false,
      headers: { "Accept-Encoding": "gzip" },
    });
    expect(raw.headers.get("Content-Encoding")).toBe("gzip");
    expect(raw.text).not.toBe("asdfqwer".repeat(100));
    expect(gunzipSync(raw.body).toString()).toBe("asdfqwer".repeat(100));

    const plain = await client.fetch(server.url("/gzip"), { decompressResponse: false });
    expect(plain.headers.has("Content-Encoding")).toBe(false);
  });

  test("gzip with a streamingCallback streams decoded chunks", async () => {
    const chunks: Buffer[] = [];
    const response = await client.fetch(server.url("/gzip"), { streamingCallback: (chunk) => chunks.push(chunk) });
    expect(Buffer.concat(chunks).toString()).toBe("asdfqwer".repeat(100));
    expect(response.body.length).toBe(0);
  });

  test("large bodies both ways (16 MiB)", async () => {
    const size = 16 * 1024 * 1024;
    const download = await client.fetch(server.url(`/large?size=${size}`));
    expect(download.body.length).toBe(size);
    const upload = Buffer.alloc(size, "y");
    const echoed = await client.fetch(server.url("/echopost"), { method: "POST", body: upload });
    expect(echoed.body.length).toBe(size);
    expect(echoed.body.equals(upload)).toBe(true);
  });

  test("bodyProducer streams the upload (chunked without a Content-Length)", async () => {
    const response = await client.fetch(server.url("/echopost"), {
      method: "POST",
      bodyProducer: async (write) => {
        await write("hello ");
        await write(Buffer.from("world"));
      },
    });
    expect(response.text).toBe("hello world");
  });

  test("a failing bodyProducer fails the fetch with its error", async () => {
    const boom = new Error("producer failed");
    const fetching = client.fetch(server.url("/echopost"), {
      method: "POST",
      bodyProducer: async (write) => {
        await write("partial");
        throw boom;
      },
    });
    await expect(fetching).rejects.toBe(boom);
  });
});

describe("authentication", () => {
  test("basic auth (test_basic_auth, test_basic_auth_explicit_mode)", async () => {
    const expected = "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==";
    expect((await client.fetch(server.url("/auth"), { authUsername: "Aladdin", authPassword: "open sesame" })).text).toBe(
      expected,
    );
    expect(
      (await client.fetch(server.url("/auth"), { authUsername: "Aladdin", authPassword: "open sesame", authMode: "basic" }))
        .text,
    ).toBe(expected);
  });

  test("unicode credentials are sent as UTF-8 (test_basic_auth_unicode)", async () => {
    expect((await client.fetch(server.url("/auth"), { authUsername: "test", authPassword: "123£" })).text).toBe(
      "Basic dGVzdDoxMjPCow==",
    );
    expect((await client.fetch(server.url("/auth"), { authUsername: "test", authPassword: "123£" })).text).toBe(
      `Basic ${Buffer.from("test:123£").toString("base64")}`,
    );
  });

  test("credentials in the URL win (test_credentials_in_url)", async () => {
    const url = server.url("/auth").replace("http://", "http://me:secret@");
    const response = await client.fetch(url, { authUsername: "other", authPassword: "x" });
    expect(response.text).toBe(`Basic ${Buffer.from("me:secret").toString("base64")}`);
  });
});

describe("connections", () => {
  test("sequential requests reuse one kept-alive connection", async () => {
    // undici may open a second connection while the first is being returned to the pool,
    // as its own request() does; what matters is that connections are reused.
    const ports = new Set<string>();
    for (let i = 0; i < 20; i++) ports.add((await client.fetch(server.url("/socket"))).text);
    expect(ports.size).toBeLessThanOrEqual(2);
    expect(server.connections.length).toBeLessThanOrEqual(2);
  });

  test("maxClients caps the connections to an origin", async () => {
    const small = new AsyncHTTPClient({ maxClients: 2 });
    try {
      const responses = await Promise.all(Array.from({ length: 10 }, () => small.fetch(server.url("/socket"))));
      expect(responses.every((response) => response.code === 200)).toBe(true);
      expect(server.connections.length).toBeLessThanOrEqual(2);
    } finally {
      await small.close();
    }
  });

  test("close() closes the pool's sockets", async () => {
    await client.fetch(server.url("/hello"));
    const before = await new Promise<number>((resolve) => server.server.getConnections((_e, count) => resolve(count)));
    expect(before).toBe(1);
    await client.close();
    for (let i = 0; i < 50; i++) {
      const count = await new Promise<number>((resolve) => server.server.getConnections((_e, n) => resolve(n)));
      if (count === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await new Promise<number>((resolve) => server.server.getConnections((_e, n) => resolve(n)))).toBe(0);
  });
});
