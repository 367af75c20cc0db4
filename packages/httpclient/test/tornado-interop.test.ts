// The client against Python Tornado (Debian's python3-tornado) serving handlers from
// httpclient_test.py: its chunked writes, gzip output (compress_response), redirects and
// argument parsing. Skipped, with the reason, when /usr/bin/python3 has no tornado.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { AsyncHTTPClient } from "@tornado/httpclient";

const PYTHON = "/usr/bin/python3";
const hasTornado = spawnSync(PYTHON, ["-c", "import tornado"]).status === 0;
const maybe = hasTornado ? describe : describe.skip;

maybe(`against Python Tornado${hasTornado ? "" : " (skipped: python3-tornado missing)"}`, () => {
  let python: ChildProcess;
  let base: string;
  let client: AsyncHTTPClient;

  beforeAll(async () => {
    python = spawn(PYTHON, [path.join(__dirname, "fixtures", "tornado_app.py")], { stdio: ["pipe", "pipe", "inherit"] });
    const port = await new Promise<string>((resolve, reject) => {
      python.stdout!.once("data", (data: Buffer) => resolve(data.toString().trim()));
      python.once("exit", (code) => reject(new Error(`tornado_app.py exited with ${code}`)));
    });
    base = `http://127.0.0.1:${port}`;
  }, 20000);

  afterAll(async () => {
    const exited = new Promise((resolve) => python.once("exit", resolve));
    python.stdin!.end();
    await exited;
  });

  beforeEach(() => {
    client = new AsyncHTTPClient();
  });

  afterEach(async () => {
    await client.close();
  });

  test("hello world and arguments (test_hello_world)", async () => {
    const response = await client.fetch(`${base}/hello?name=Ben`);
    expect(response.code).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/plain");
    expect(response.text).toBe("Hello Ben!");
  });

  test("form POST (test_post)", async () => {
    const response = await client.fetch(`${base}/post`, { method: "POST", body: "arg1=foo&arg2=bar" });
    expect(response.text).toBe("Post arg1: foo, arg2: bar");
  });

  test("chunked writes arrive as separate chunks (test_streaming_callback, test_chunked)", async () => {
    const chunks: string[] = [];
    await client.fetch(`${base}/chunk`, { streamingCallback: (chunk) => chunks.push(chunk.toString()) });
    expect(chunks.join("")).toBe("asdfqwer");
    expect((await client.fetch(`${base}/chunk`)).text).toBe("asdfqwer");
  });

  test("Tornado's gzip output is decoded (test_gzip)", async () => {
    const response = await client.fetch(`${base}/big`);
    expect(response.headers.get("X-Consumed-Content-Encoding")).toBe("gzip");
    expect(response.body.length).toBe(100000);
    const raw = await client.fetch(`${base}/big`, { decompressResponse: false, headers: { "Accept-Encoding": "gzip" } });
    expect(raw.headers.get("Content-Encoding")).toBe("gzip");
    expect(raw.body.length).toBeLessThan(1000);
  });

  test("basic auth (test_basic_auth)", async () => {
    const response = await client.fetch(`${base}/auth`, { authUsername: "Aladdin", authPassword: "open sesame" });
    expect(response.text).toBe("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  });

  test("redirects (test_follow_redirect, test_max_redirects, test_redirect_put_with_body)", async () => {
    const followed = await client.fetch(`${base}/countdown/2`);
    expect(followed.text).toBe("Zero");
    expect(followed.effectiveUrl).toBe(`${base}/countdown/0`);
    const stopped = await client.fetch(`${base}/countdown/5`, { maxRedirects: 3, raiseError: false });
    expect(stopped.code).toBe(302);
    expect(stopped.effectiveUrl).toBe(`${base}/countdown/2`);
    const put = await client.fetch(`${base}/redirect?url=/put&status=307`, { method: "PUT", body: "hello" });
    expect(put.text).toBe("Put body: hello");
    for (const status of [301, 302, 303]) {
      const post = await client.fetch(`${base}/redirect?url=/all_methods&status=${status}`, { method: "POST", body: "" });
      expect(post.text).toBe("GET");
    }
    const kept = await client.fetch(`${base}/redirect?url=/all_methods&status=308`, {
      method: "DELETE",
    });
    expect(kept.text).toBe("DELETE");
    const other = await client.fetch(`${base}/all_methods`, { method: "OTHER", allowNonstandardMethods: true });
    expect(other.text).toBe("OTHER");
  });

  test("user agent (test_default_user_agent)", async () => {
    expect((await client.fetch(`${base}/user_agent`, { userAgent: "TestDefaultUserAgent/1.0" })).text).toBe(
      "TestDefaultUserAgent/1.0",
    );
  });
});
