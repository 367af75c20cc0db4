/**
 * Well-formed traffic from real, independent HTTP clients: undici, curl, and Python's
 * http.client (/usr/bin/python3). Clients missing on the machine are skipped with a reason.
 */

import { execFile, spawnSync } from "node:child_process";
import * as zlib from "node:zlib";
import { Agent, Client, FormData, request as undiciRequest } from "undici";
import { Readable } from "node:stream";
import { HTTPHeaders, ResponseStartLine } from "@tornado/httputil";
import { type HTTPServerRequest } from "../src/index";
import { respond, startServer } from "./helpers";

const hasCurl = spawnSync("curl", ["--version"]).status === 0;
const hasPython = spawnSync("/usr/bin/python3", ["-c", "import http.client"]).status === 0;

function describeRequest(request: HTTPServerRequest): string {
  const args: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(request.arguments)) args[name] = values.map((v) => v.toString("utf8"));
  const files: Record<string, Array<{ filename: string; body: string; contentType: string }>> = {};
  for (const [name, list] of Object.entries(request.files)) {
    files[name] = list.map((f) => ({ filename: f.filename, body: f.body.toString("utf8"), contentType: f.contentType }));
  }
  return JSON.stringify({
    method: request.method,
    uri: request.uri,
    version: request.version,
    bodyLength: request.body.length,
    args,
    files,
    cookies: Object.fromEntries(request.cookies),
    header: request.headers.get("X-Test") ?? null,
  });
}

async function handler(request: HTTPServerRequest): Promise<void> {
  if (request.path === "/stream") {
    const connection = request.connection!;
    await connection.writeHeaders(new ResponseStartLine("HTTP/1.1", 200, "OK"), new HTTPHeaders({ "Content-Type": "text/plain" }));
    for (let i = 0; i < 5; i++) await connection.write(Buffer.from(`part${i};`));
    connection.finish();
    return;
  }
  respond(request, describeRequest(request), 200, { "Content-Type": "application/json" });
}

describe("undici", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => (server = await startServer(handler, { decompressRequest: true })));
  afterAll(() => server.close());

  it("GETs with query, cookies and custom headers over a keep-alive pool", async () => {
    const agent = new Agent({ connections: 2 });
    try {
      for (let i = 0; i < 20; i++) {
        const response = await undiciRequest(`http://127.0.0.1:${server.port}/p?a=${i}&b=%C3%A9`, {
          dispatcher: agent,
          headers: { "x-test": "yes", cookie: 'x=1; y="a\\073b"' },
        });
        const body = (await response.body.json()) as { args: Record<string, string[]>; cookies: Record<string, string>; header: string };
        expect(response.statusCode).toBe(200);
        expect(body.args).toEqual({ a: [String(i)], b: ["é"] });
        expect(body.cookies).toEqual({ x: "1", y: "a;b" });
        expect(body.header).toBe("yes");
      }
      // 20 requests over at most 2 connections.
      expect(server.server.connections.size).toBeLessThanOrEqual(2);
    } finally {
      await agent.close();
    }
  });

  it("POSTs urlencoded, multipart (FormData), chunked streams and gzip bodies", async () => {
    const url = `http://127.0.0.1:${server.port}/post`;
    const form = await undiciRequest(url, { method: "POST", body: "x=1&y=%20z", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(((await form.body.json()) as { args: object }).args).toEqual({ x: ["1"], y: [" z"] });

    const data = new FormData();
    data.append("field", "välue");
    data.append("upload", new Blob(["file body"], { type: "text/plain" }), "名前.txt");
    const multipart = await undiciRequest(url, { method: "POST", body: data });
    const parsed = (await multipart.body.json()) as { args: object; files: Record<string, unknown> };
    expect(parsed.args).toEqual({ field: ["välue"] });
    expect(parsed.files).toEqual({ upload: [{ filename: "名前.txt", body: "file body", contentType: "text/plain" }] });

    async function* chunks() {
      for (let i = 0; i < 10; i++) yield Buffer.alloc(1000, 0x61 + i);
    }
    const streamed = await undiciRequest(url, { method: "PUT", body: Readable.from(chunks()) });
    expect(((await streamed.body.json()) as { bodyLength: number }).bodyLength).toBe(10000);

    const gzipped = await undiciRequest(url, {
      method: "POST",
      body: zlib.gzipSync("q=gz"),
      headers: { "content-type": "application/x-www-form-urlencoded", "content-encoding": "gzip" },
    });
    expect(((await gzipped.body.json()) as { args: object }).args).toEqual({ q: ["gz"] });
  });

  it("reads a chunked response, HEAD without body, and pipelined requests in order", async () => {
    const stream = await undiciRequest(`http://127.0.0.1:${server.port}/stream`);
    expect(await stream.body.text()).toBe("part0;part1;part2;part3;part4;");
    const head = await undiciRequest(`http://127.0.0.1:${server.port}/`, { method: "HEAD" });
    expect(head.statusCode).toBe(200);
    expect(await head.body.text()).toBe("");
    const client = new Client(`http://127.0.0.1:${server.port}`, { pipelining: 8 });
    try {
      const responses = await Promise.all(
        Array.from({ length: 16 }, (_, i) => client.request({ path: `/n?i=${i}`, method: "GET" }).then((r) => r.body.json() as Promise<{ args: { i: string[] } }>)),
      );
      expect(responses.map((r) => r.args.i[0])).toEqual(Array.from({ length: 16 }, (_, i) => String(i)));
    } finally {
      await client.close();
    }
  });
});

function run(command: string, args: string[], input?: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { timeout: 15000, maxBuffer: 1 << 22 }, (error, stdout, stderr) => {
      resolve({ stdout, stderr, code: error ? ((error as { code?: number }).code ?? 1) : 0 });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

(hasCurl ? describe : describe.skip)(`curl${hasCurl ? "" : " (skipped: curl is not installed)"}`, () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => (server = await startServer(handler)));
  afterAll(() => server.close());
  const base = () => `http://127.0.0.1:${server.port}`;

  it("GETs twice on one connection (keep-alive)", async () => {
    const { stdout, stderr } = await run("curl", ["-sv", `${base()}/a?x=1`, `${base()}/b?x=2`]);
    expect(stdout).toContain('"uri":"/a?x=1"');
    expect(stdout).toContain('"uri":"/b?x=2"');
    expect(stderr).toMatch(/Re-using existing connection|Reusing existing connection/);
  });

  it("POSTs a form, a multipart upload, a chunked body, and uses Expect: 100-continue", async () => {
    const form = JSON.parse((await run("curl", ["-s", "-d", "a=1&b=two", `${base()}/`])).stdout);
    expect(form.args).toEqual({ a: ["1"], b: ["two"] });
    const multipart = JSON.parse((await run("curl", ["-s", "-F", "f=hello", "-F", "up=@-;filename=x.txt;type=text/plain", `${base()}/`], "file data")).stdout);
    expect(multipart.args).toEqual({ f: ["hello"] });
    expect(multipart.files).toEqual({ up: [{ filename: "x.txt", body: "file data", contentType: "text/plain" }] });
    const chunked = JSON.parse((await run("curl", ["-s", "-H", "Transfer-Encoding: chunked", "--data-binary", "@-", `${base()}/`], "z".repeat(3000))).stdout);
    expect(chunked.bodyLength).toBe(3000);
    const expect100 = await run("curl", ["-sv", "-H", "Expect: 100-continue", "--data-binary", "@-", `${base()}/`], "y".repeat(2000));
    expect(expect100.stderr).toContain("HTTP/1.1 100 Continue");
    expect(JSON.parse(expect100.stdout).bodyLength).toBe(2000);
  });

  it("HEADs and reads a chunked response", async () => {
    const head = await run("curl", ["-sI", `${base()}/`]);
    expect(head.stdout.startsWith("HTTP/1.1 200 OK")).toBe(true);
    expect((await run("curl", ["-s", `${base()}/stream`])).stdout).toBe("part0;part1;part2;part3;part4;");
  });
});

(hasPython ? describe : describe.skip)(`Python http.client${hasPython ? "" : " (skipped: /usr/bin/python3 missing)"}`, () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => (server = await startServer(handler)));
  afterAll(() => server.close());

  it("GETs, POSTs (fixed and chunked) and HEADs on one keep-alive connection", async () => {
    const script = `
import http.client, json, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
out = []
c.request("GET", "/g?x=%C3%A9", headers={"X-Test": "py"})
r = c.getresponse(); out.append(json.loads(r.read()))
c.request("POST", "/p", body=b"k=v&k=w", headers={"Content-Type": "application/x-www-form-urlencoded"})
r = c.getresponse(); out.append(json.loads(r.read()))
c.request("PUT", "/c", body=iter([b"abc", b"defg"]), encode_chunked=True)
r = c.getresponse(); out.append(json.loads(r.read()))
c.request("HEAD", "/h")
r = c.getresponse(); r.read(); out.append({"status": r.status, "length": r.getheader("Content-Length")})
c.request("GET", "/stream")
r = c.getresponse(); out.append(r.read().decode())
print(json.dumps(out))
`;
    const { stdout, stderr, code } = await run("/usr/bin/python3", ["-c", script, String(server.port)]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const [get, post, put, head, stream] = JSON.parse(stdout);
    expect(get.args).toEqual({ x: ["é"] });
    expect(get.header).toBe("py");
    expect(post.args).toEqual({ k: ["v", "w"] });
    expect(put.bodyLength).toBe(7);
    expect(head.status).toBe(200);
    expect(stream).toBe("part0;part1;part2;part3;part4;");
    // One connection served all five requests.
    expect(server.server.connections.size).toBeLessThanOrEqual(1);
  });
});
