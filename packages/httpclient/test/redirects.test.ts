// Redirects as simple_httpclient follows them (httpclient_test.py: test_follow_redirect,
// test_max_redirects, test_redirect_without_location, test_redirect_put_*, test_method_after_redirect).
import { AsyncHTTPClient, HTTPClientError } from "@tornado/httpclient";
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

test("followRedirects false returns the 302; true follows it (test_follow_redirect)", async () => {
  const unfollowed = await client.fetch(server.url("/countdown/2"), { followRedirects: false, raiseError: false });
  expect(unfollowed.code).toBe(302);
  expect(unfollowed.headers.get("Location")!.endsWith("/countdown/1")).toBe(true);

  const followed = await client.fetch(server.url("/countdown/2"));
  expect(followed.code).toBe(200);
  expect(followed.effectiveUrl).toBe(server.url("/countdown/0"));
  expect(followed.text).toBe("Zero");
  expect(followed.request.url).toBe(server.url("/countdown/2"));
});

test("maxRedirects stops on the last redirect (test_max_redirects)", async () => {
  const response = await client.fetch(server.url("/countdown/5"), { maxRedirects: 3, raiseError: false });
  expect(response.code).toBe(302);
  // The response's request is the original; the effective URL is the last one fetched.
  expect(response.request.url.endsWith("/countdown/5")).toBe(true);
  expect(response.effectiveUrl.endsWith("/countdown/2")).toBe(true);
  expect(response.headers.get("Location")!.endsWith("/countdown/1")).toBe(true);
  await expect(client.fetch(server.url("/countdown/5"), { maxRedirects: 3 })).rejects.toMatchObject({ code: 302 });
  const error = await client.fetch(server.url("/countdown/9")).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HTTPClientError);
  expect((error as HTTPClientError).response!.effectiveUrl.endsWith("/countdown/4")).toBe(true);
});

test("a redirect without Location is returned as it is (test_redirect_without_location)", async () => {
  const response = await client.fetch(server.url("/redirect?status=301"), { raiseError: false });
  expect(response.code).toBe(301);
});

test("307 keeps the PUT body (test_redirect_put_with_body)", async () => {
  const response = await client.fetch(server.url("/redirect?url=/put&status=307"), { method: "PUT", body: "hello" });
  expect(response.text).toBe("Put body: hello");
});

test("307 keeps a PUT without body (test_redirect_put_without_body)", async () => {
  const response = await client.fetch(server.url("/redirect?url=/put&status=307"), {
    method: "PUT",
    allowNonstandardMethods: true,
  });
  expect(response.text).toBe("Put body: ");
});

test("307 re-runs the bodyProducer", async () => {
  let runs = 0;
  const response = await client.fetch(server.url("/redirect?url=/put&status=307"), {
    method: "PUT",
    bodyProducer: async (write) => {
      runs++;
      await write("streamed");
    },
  });
  expect(response.text).toBe("Put body: streamed");
  expect(runs).toBe(2);
});

test("methods after redirects (test_method_after_redirect)", async () => {
  for (const status of [301, 302, 303]) {
    const url = server.url(`/redirect?url=/all_methods&status=${status}`);
    // POST becomes GET without a body on 301, 302 and 303.
    const post = await client.fetch(url, { method: "POST", body: "data" });
    expect(post.text).toBe("GET");
    for (const method of ["GET", "OPTIONS", "PUT", "DELETE"]) {
      const response = await client.fetch(url, { method, allowNonstandardMethods: true });
      // Tornado keeps other methods on 301/302 and turns them into GET on 303.
      expect(response.text).toBe(status === 303 ? "GET" : method);
    }
    const head = await client.fetch(url, { method: "HEAD" });
    expect(head.code).toBe(200);
    expect(head.headers.get("method")).toBe("HEAD");
    expect(head.body.length).toBe(0);
  }
  for (const status of [307, 308]) {
    const url = server.url(`/redirect?url=/all_methods&status=${status}`);
    for (const method of ["GET", "OPTIONS", "POST", "PUT", "DELETE"]) {
      const response = await client.fetch(url, { method, allowNonstandardMethods: true });
      expect(response.text).toBe(method);
    }
    const post = await client.fetch(url, { method: "POST", body: "kept" });
    expect(post.text).toBe("POSTkept");
    const head = await client.fetch(url, { method: "HEAD" });
    expect(head.code).toBe(200);
    expect(head.body.length).toBe(0);
  }
});

test("a body-dropping redirect drops the entity headers", async () => {
  const response = await client.fetch(server.url("/redirect?url=/echo_headers&status=303"), {
    method: "POST",
    body: "{}",
    headers: { "Content-Type": "application/json", "X-Kept": "yes" },
  });
  const names = (JSON.parse(response.text) as string[]).filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
  expect(names).toContain("x-kept");
  expect(names).not.toContain("content-type");
  expect(names).not.toContain("content-length");
});

test("relative and absolute Locations resolve against the current URL", async () => {
  const relative = await client.fetch(server.url("/redirect?url=hello&status=302"));
  expect(relative.effectiveUrl).toBe(server.url("/hello"));
  const absolute = await client.fetch(server.url(`/redirect?url=${encodeURIComponent(server.url("/hello?name=x"))}&status=301`));
  expect(absolute.effectiveUrl).toBe(server.url("/hello?name=x"));
  expect(absolute.text).toBe("Hello x!");
});

test("credentials are kept on the same origin and dropped across origins (Tornado 6.5.6)", async () => {
  const other = await startServer();
  try {
    const sameOrigin = await client.fetch(server.url("/redirect?url=/auth&status=302"), {
      authUsername: "user",
      authPassword: "pw",
    });
    expect(sameOrigin.text).toBe(`Basic ${Buffer.from("user:pw").toString("base64")}`);

    const crossOrigin = await client.fetch(
      server.url(`/redirect?url=${encodeURIComponent(other.url("/echo_headers"))}&status=302`),
      { authUsername: "user", authPassword: "pw", headers: { Cookie: "a=b", "X-Kept": "1" } },
    );
    const names = (JSON.parse(crossOrigin.text) as string[]).filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
    expect(names).toContain("x-kept");
    expect(names).not.toContain("authorization");
    expect(names).not.toContain("cookie");
  } finally {
    await other.close();
  }
});

test("redirect hops reach no callback; the final answer does", async () => {
  const lines: string[] = [];
  const chunks: string[] = [];
  await client.fetch(server.url("/redirect?url=/hello&status=302"), {
    headerCallback: (line) => lines.push(line),
    streamingCallback: (chunk) => chunks.push(chunk.toString()),
  });
  expect(lines.filter((line) => line.startsWith("HTTP/"))).toEqual(["HTTP/1.1 200 OK\r\n"]);
  expect(chunks.join("")).toBe("Hello world!");
});
