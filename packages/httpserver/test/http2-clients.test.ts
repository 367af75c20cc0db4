/**
 * HTTP/2 from real, independent clients: curl (libcurl + nghttp2) with --http2 over TLS and
 * --http2-prior-knowledge in cleartext, and undici with allowH2. Clients missing on the
 * machine are skipped with a reason.
 */

import { execFile, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "undici";
import { HTTPHeaders, ResponseStartLine } from "@tornado/httputil";
import type { HTTPServerRequest } from "../src/index";
import { respond, startServer } from "./helpers";
import { SSL_OPTIONS } from "./http2-helpers";

const hasCurl = spawnSync("curl", ["--version"], { encoding: "utf8" }).stdout?.includes("nghttp2") === true;
const itWithCurl = hasCurl ? it : it.skip;

function describeRequest(request: HTTPServerRequest): string {
  const args: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(request.arguments)) args[name] = values.map((value) => value.toString("utf8"));
  return JSON.stringify({
    version: request.version,
    method: request.method,
    uri: request.uri,
    protocol: request.protocol,
    args,
    cookies: Object.fromEntries(request.cookies),
    files: Object.fromEntries(Object.entries(request.files).map(([name, list]) => [name, list.map((file) => file.body.toString())])),
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
  respond(request, describeRequest(request), 200, { "Content-Type": "application/json", "Set-Cookie": "served=yes" });
}

function curl(args: string[]): Promise<{ body: string; version: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile("curl", ["-sS", "-w", "\n%{http_version}", ...args], { encoding: "utf8", timeout: 20000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`curl ${args.join(" ")}: ${error.message}\n${stderr}`));
      const cut = stdout.lastIndexOf("\n");
      resolve({ body: stdout.slice(0, cut), version: stdout.slice(cut + 1), stderr });
    });
  });
}

describe(hasCurl ? "curl" : "curl (skipped: no curl built with nghttp2)", () => {
  let cleartext: Awaited<ReturnType<typeof startServer>>;
  let secure: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    cleartext = await startServer(handler, { http2: true });
    secure = await startServer(handler, { http2: true, sslOptions: SSL_OPTIONS });
  });
  afterAll(async () => {
    await cleartext.close();
    await secure.close();
  });

  itWithCurl("--http2-prior-knowledge: query, cookies, a form and a multipart upload over h2c", async () => {
    const url = `http://127.0.0.1:${cleartext.port}`;
    const get = await curl(["--http2-prior-knowledge", "-b", "a=1; b=2", `${url}/q?x=%C3%A9&y=2`]);
    expect(get.version).toBe("2");
    expect(JSON.parse(get.body)).toEqual({ version: "HTTP/2.0", method: "GET", uri: "/q?x=%C3%A9&y=2", protocol: "http", args: { x: ["é"], y: ["2"] }, cookies: { a: "1", b: "2" }, files: {} });
    const form = await curl(["--http2-prior-knowledge", "-d", "k=v&k=w", `${url}/form`]);
    expect(JSON.parse(form.body)).toMatchObject({ method: "POST", args: { k: ["v", "w"] } });
    const file = join(__dirname, "fixtures", "test-cert.pem");
    const upload = await curl(["--http2-prior-knowledge", "-F", `f=@${file};filename=a.txt`, "-F", "n=1", `${url}/upload`]);
    expect(JSON.parse(upload.body)).toMatchObject({ args: { n: ["1"] }, files: { f: [readFileSync(file, "utf8")] } });
  });

  itWithCurl("--http2 over TLS: ALPN h2; --http1.1 on the same port gets HTTP/1.1", async () => {
    const url = `https://127.0.0.1:${secure.port}`;
    const h2 = await curl(["-k", "--http2", "-D", "-", `${url}/tls`]);
    expect(h2.version).toBe("2");
    expect(h2.body).toMatch(/^HTTP\/2 200 \r\n/);
    expect(h2.body).toContain("set-cookie: served=yes\r\n");
    expect(JSON.parse(h2.body.slice(h2.body.indexOf("\r\n\r\n") + 4))).toMatchObject({ version: "HTTP/2.0", protocol: "https" });
    const h1 = await curl(["-k", "--http1.1", `${url}/tls`]);
    expect([h1.version, JSON.parse(h1.body).version]).toEqual(["1.1", "HTTP/1.1"]);
  });

  itWithCurl("streams a response written piece by piece", async () => {
    const streamed = await curl(["--http2-prior-knowledge", `http://127.0.0.1:${cleartext.port}/stream`]);
    expect([streamed.version, streamed.body]).toEqual(["2", "part0;part1;part2;part3;part4;"]);
  });

  itWithCurl("--http2 in cleartext asks for Upgrade: h2c, which is not offered: the answer is HTTP/1.1", async () => {
    const upgraded = await curl(["--http2", `http://127.0.0.1:${cleartext.port}/u`]);
    expect([upgraded.version, JSON.parse(upgraded.body).version]).toEqual(["1.1", "HTTP/1.1"]);
  });
});

describe("undici (allowH2)", () => {
  let secure: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => (secure = await startServer(handler, { http2: true, sslOptions: SSL_OPTIONS })));
  afterAll(() => secure.close());

  it("GETs and POSTs over one h2 connection", async () => {
    const client = new Client(`https://127.0.0.1:${secure.port}`, { allowH2: true, connect: { rejectUnauthorized: false } });
    try {
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => client.request({ method: "GET", path: `/g?i=${i}` }).then(async (response) => ({ status: response.statusCode, body: await response.body.json() }))),
      );
      expect(responses.map((response) => (response.body as { args: { i: string[] } }).args.i[0])).toEqual(Array.from({ length: 10 }, (_, i) => String(i)));
      expect(responses.every((response) => (response.body as { version: string }).version === "HTTP/2.0")).toBe(true);
      const post = await client.request({ method: "POST", path: "/p", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=b" });
      expect(await post.body.json()).toMatchObject({ version: "HTTP/2.0", method: "POST", args: { a: ["b"] } });
      const streamed = await client.request({ method: "GET", path: "/stream" });
      expect(await streamed.body.text()).toBe("part0;part1;part2;part3;part4;");
      expect(secure.server.http2Connections.size).toBe(1);
    } finally {
      await client.close();
    }
  });
});
