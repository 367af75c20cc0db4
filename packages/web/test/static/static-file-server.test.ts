/**
 * StaticFileTest, StaticDefaultFilenameTest, StaticDefaultFilenameRootTest,
 * StaticFileWithPathTest, CustomStaticFileTest and GzipTestCase (web_test.py), plus the
 * traversal table and precompressed siblings, on real loopback sockets.
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as net from "node:net";
import { gunzipSync, brotliDecompressSync } from "node:zlib";
import { HTTPTestServer } from "@tornado/testing";
import { setLogHandler, type LogRecord } from "@tornado/ioloop";
import { Application, RequestHandler, type ApplicationSettings, type RuleLike } from "../../src/index";
import { StaticFileHandler } from "../../src/static/static-file-handler";
import { HOSTILE_STATIC_PATHS } from "./static-traversal-paths";
import { makeStaticTree, ROBOTS } from "./static-tree";

const logs: LogRecord[] = [];
let restore: ReturnType<typeof setLogHandler>;
let tree: ReturnType<typeof makeStaticTree>;
beforeAll(() => {
  restore = setLogHandler((record) => logs.push(record));
  tree = makeStaticTree();
});
afterAll(() => {
  setLogHandler(restore);
  tree.cleanup();
});
const servers: HTTPTestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});
async function serve(handlers: RuleLike[] = [], settings: ApplicationSettings = {}): Promise<HTTPTestServer> {
  StaticFileHandler.reset();
  const server = await HTTPTestServer.start(new Application(handlers, { staticPath: tree.root, ...settings }));
  servers.push(server);
  return server;
}
const get = (server: HTTPTestServer, path: string, headers: Record<string, string> = {}, method = "GET") =>
  server.fetch(path, { headers, method, followRedirects: false, decompressResponse: false });

/** Sends exact bytes; resolves with the status code of the answer. */
function rawStatus(port: number, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let data = "";
    socket.on("data", (chunk) => (data += chunk.toString("latin1")));
    socket.on("error", reject);
    socket.on("close", () => {
      const match = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (match) resolve(Number(match[1]));
      else reject(new Error(`no status line for ${target}: ${JSON.stringify(data.slice(0, 80))}`));
    });
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
}

const SHA = createHash("sha512").update(ROBOTS).digest("hex");
const CONTENT_HEADERS = ["Content-Type", "Content-Length", "Content-Range", "Etag", "Last-Modified", "Accept-Ranges"];

describe("StaticFileTest (web_test.py)", () => {
  class StaticUrlHandler extends RequestHandler {
    override get() {
      const includeHost = this.getArgument("include_host", null);
      this.write(this.staticUrl(this.getArgument("path"), includeHost === null ? undefined : includeHost === "true"));
    }
  }
  class AbsoluteStaticUrlHandler extends StaticUrlHandler {
    includeHost = true;
  }
  class OverrideStaticUrlHandler extends RequestHandler {
    override get() {
      this.write(this.staticUrl("robots.txt", undefined, { includeVersion: this.getArgument("v", "1") === "1" }));
    }
  }
  const routes: RuleLike[] = [
    ["/static_url/(.*)", StaticUrlHandler],
    ["/abs_static_url/(.*)", AbsoluteStaticUrlHandler],
    ["/override_static_url/(.*)", OverrideStaticUrlHandler],
    ["/root_static/(.*)", StaticFileHandler, { path: "/" }],
  ];

  it("robots.txt at / and /static/, GET and HEAD with the same Content-* headers", async () => {
    const server = await serve(routes);
    for (const path of ["/robots.txt", "/static/robots.txt"]) {
      const response = await get(server, path);
      expect(response.body.toString()).toContain("Disallow: /");
      expect(response.headers.get("Content-Type")).toBe("text/plain");
      const head = await get(server, path, {}, "HEAD");
      expect(head.body.length).toBe(0);
      for (const name of CONTENT_HEADERS) expect(head.headers.get(name)).toBe(response.headers.get(name));
    }
  });

  it("versioned URLs get long cache headers; types as Tornado", async () => {
    const server = await serve(routes);
    const versioned = await get(server, "/static/robots.txt?v=12345");
    expect(versioned.headers.get("Cache-Control")).toBe(`max-age=${86400 * 365 * 10}`);
    expect(versioned.headers.has("Expires")).toBe(true);
    expect((await get(server, "/static/robots.txt")).headers.has("Cache-Control")).toBe(false);
    expect((await get(server, "/static/sample.xml.gz")).headers.get("Content-Type")).toBe("application/gzip");
    expect((await get(server, "/static/sample.xml.bz2")).headers.get("Content-Type")).toBe("application/octet-stream");
    expect(["text/xml", "application/xml"]).toContain((await get(server, "/static/sample.xml")).headers.get("Content-Type"));
    for (const name of ["CON", "PRN", "AUX", "NUL", "COM1", "LPT1"]) {
      expect([403, 404]).toContain((await get(server, `/static/${name}`)).code);
    }
  });

  it("staticUrl: ?v=<sha512>, include_host (attribute and per call), includeVersion false", async () => {
    const server = await serve(routes);
    expect((await get(server, "/static_url/x?path=robots.txt")).body.toString()).toBe(`/static/robots.txt?v=${SHA}`);
    expect((await get(server, "/abs_static_url/robots.txt?path=robots.txt")).body.toString()).toBe(
      `http://127.0.0.1:${server.port}/static/robots.txt?v=${SHA}`,
    );
    expect((await get(server, "/abs_static_url/x?path=robots.txt&include_host=false")).body.toString()).toBe(
      `/static/robots.txt?v=${SHA}`,
    );
    expect((await get(server, "/static_url/x?path=robots.txt&include_host=true")).body.toString()).toBe(
      `http://127.0.0.1:${server.port}/static/robots.txt?v=${SHA}`,
    );
    expect((await get(server, "/override_static_url/x?v=0")).body.toString()).toBe("/static/robots.txt");
  });

  it("If-Modified-Since and If-None-Match", async () => {
    const server = await serve(routes);
    const first = await get(server, "/static/robots.txt");
    const lastModified = first.headers.get("Last-Modified")!;
    expect(first.headers.get("Etag")).toBe(`"${SHA}"`);
    let response = await get(server, "/static/robots.txt", { "If-Modified-Since": lastModified });
    expect(response.code).toBe(304);
    expect(response.headers.has("Content-Length")).toBe(false);
    response = await get(server, "/static/robots.txt", { "If-None-Match": first.headers.get("Etag")! });
    expect(response.code).toBe(304);
    response = await get(server, "/static/robots.txt", { "If-None-Match": '"MISMATCH"', "If-Modified-Since": lastModified });
    expect(response.code).toBe(200);
    for (const ims of ["!nv@l!d", "Fri, 01 Jan 1960 00:00:00 GMT"]) {
      expect((await get(server, "/static/robots.txt", { "If-Modified-Since": ims })).code).toBe(200);
    }
    const modified = Date.parse(lastModified);
    const at = (ms: number) => new Date(ms).toUTCString();
    expect((await get(server, "/static/robots.txt", { "If-Modified-Since": at(modified - 1000) })).code).toBe(200);
    expect((await get(server, "/static/robots.txt", { "If-Modified-Since": at(modified + 1000) })).code).toBe(304);
  });

  it("ranges: 206, 200 for the whole file, 416", async () => {
    const server = await serve(routes);
    const range = (value: string, method = "GET") => get(server, "/static/robots.txt", { Range: value }, method);
    let response = await range("bytes=0-9");
    expect(response.code).toBe(206);
    expect(response.body.toString()).toBe("User-agent");
    expect(response.headers.get("Etag")).toBe(`"${SHA}"`);
    expect(response.headers.get("Content-Length")).toBe("10");
    expect(response.headers.get("Content-Range")).toBe("bytes 0-9/26");
    for (const whole of ["bytes=0-", "bytes=0-10000000", "bytes=-1000000", "asdf"]) {
      response = await range(whole);
      expect(response.code).toBe(200);
      expect(response.body.toString()).toBe(ROBOTS);
      expect(response.headers.has("Content-Range")).toBe(false);
    }
    response = await range("bytes=1-10000000");
    expect([response.code, response.headers.get("Content-Length"), response.headers.get("Content-Range")]).toEqual([206, "25", "bytes 1-25/26"]);
    for (const suffix of ["bytes=22-", "bytes=-4"]) {
      response = await range(suffix);
      expect([response.code, response.body.toString(), response.headers.get("Content-Range")]).toEqual([206, ": /\n", "bytes 22-25/26"]);
    }
    for (const bad of ["bytes=-0", "bytes=26", "bytes=10-3"]) {
      response = await range(bad);
      expect([response.code, response.headers.get("Content-Range"), response.headers.get("Content-Type")]).toEqual([416, "bytes */26", "text/plain"]);
    }
    response = await range("bytes=1-4", "HEAD");
    expect([response.code, response.body.length, response.headers.get("Content-Length")]).toEqual([206, 0, "4"]);
    response = await get(server, "/static/robots.txt", { Range: "bytes=1-4", "If-None-Match": `"${SHA}"` });
    expect([response.code, response.body.length, response.headers.has("Content-Length"), response.headers.has("Etag")]).toEqual([304, 0, false, true]);
  });

  it("404, the raw ../ escape (403, logged), and an absolute path under root /", async () => {
    const server = await serve(routes);
    expect((await get(server, "/static/blarg")).code).toBe(404);
    logs.length = 0;
    expect(await rawStatus(server.port, "/static/../static_foo.txt")).toBe(403);
    expect(logs.some((r) => r.message.includes("is not in root static directory"))).toBe(true);
    const response = await get(server, `/root_static${encodeURI(tree.root)}/robots.txt`);
    expect(response.code).toBe(200);
    expect(response.body.toString()).toBe(ROBOTS);
  });
});

describe("traversal table on the wire", () => {
  it(`refuses all ${HOSTILE_STATIC_PATHS.length} hostile paths with the table's status`, async () => {
    const server = await serve();
    const results: [string, number, number][] = [];
    for (const [raw, status] of HOSTILE_STATIC_PATHS) results.push([raw, status, await rawStatus(server.port, `/static/${raw}`)]);
    expect(results.filter(([, expected, got]) => expected !== got)).toEqual([]);
  });
});

describe("StaticDefaultFilenameTest / StaticDefaultFilenameRootTest / StaticFileWithPathTest", () => {
  it("serves the default file and redirects to add the slash", async () => {
    const server = await serve([], { staticHandlerArgs: { defaultFilename: "index.html" } });
    const response = await get(server, "/static/dir/");
    expect([response.code, response.body.toString()]).toEqual([200, "this is the index\n"]);
    const redirect = await get(server, "/static/dir");
    expect(redirect.code).toBe(301);
    expect(redirect.headers.get("Location")!.endsWith("/static/dir/")).toBe(true);
  });

  it("refuses to redirect a path with two initial slashes (open redirect)", async () => {
    const server = await serve([], { staticUrlPrefix: "/", staticHandlerArgs: { defaultFilename: "index.html" } });
    logs.length = 0;
    expect(await rawStatus(server.port, `//evil.com/../${tree.root}/dir`)).toBe(403);
    expect(logs.some((r) => r.message.includes("cannot redirect path with two initial slashes"))).toBe(true);
  });

  it("a StaticFileHandler route with its own path serves UTF-8 bytes as is", async () => {
    const server = await serve([["/foo/(.*)", StaticFileHandler, { path: tree.root }]]);
    expect((await get(server, "/foo/utf8.html")).body.equals(Buffer.from("H\u00e9llo\n"))).toBe(true);
  });
});

describe("CustomStaticFileTest (web_test.py): the subclass API is pluggable", () => {
  class MyStaticFileHandler extends StaticFileHandler {
    static override makeStaticUrl(_settings: ApplicationSettings, path: string): string {
      const version = this.getVersion(_settings, path);
      const extension = path.slice(path.lastIndexOf("."));
      return `/static/${path.slice(0, -extension.length)}.${version}${extension}`;
    }
    override parseUrlPath(urlPath: string): string {
      const extension = urlPath.slice(urlPath.lastIndexOf("."));
      const stem = urlPath.slice(0, -extension.length);
      return stem.slice(0, stem.lastIndexOf(".")) + extension;
    }
    static override getAbsolutePath(_root: string, path: string): string {
      return path;
    }
    override async validateAbsolutePath(_root: string, absolutePath: string): Promise<string> {
      return absolutePath;
    }
    static override getContent(path: string): Buffer {
      if (path !== "foo.txt") throw new Error(`unexpected ${path}`);
      return Buffer.from("bar");
    }
    override async getContentSize(): Promise<number> {
      return 3;
    }
    override async getModifiedTime(): Promise<Date | null> {
      return null;
    }
    static override getVersion(_settings?: ApplicationSettings, _path?: string): string {
      return "42";
    }
    override computeEtag(): string | null {
      return null;
    }
  }
  class StaticUrlHandler extends RequestHandler {
    override get(path: string) {
      this.write(this.staticUrl(path));
    }
  }
  it("serves and links through the overrides", async () => {
    const server = await serve([["/static_url/(.*)", StaticUrlHandler]], { staticHandlerClass: MyStaticFileHandler });
    expect((await get(server, "/static/foo.42.txt")).body.toString()).toBe("bar");
    expect((await get(server, "/static_url/foo.txt")).body.toString()).toBe("/static/foo.42.txt");
  });
});

describe("precompressed siblings (beyond Tornado)", () => {
  it("serves .br or .gz by Accept-Encoding, with Vary and the original type", async () => {
    const server = await serve();
    const plain = await get(server, "/static/app.js");
    expect(plain.headers.has("Content-Encoding")).toBe(false);
    expect(plain.headers.get("Vary")).toBe("Accept-Encoding");
    const br = await get(server, "/static/app.js", { "Accept-Encoding": "gzip, br" });
    expect(br.headers.get("Content-Encoding")).toBe("br");
    expect(br.headers.get("Content-Type")).toBe(plain.headers.get("Content-Type"));
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(br.headers.get("Etag")).not.toBe(plain.headers.get("Etag"));
    const gz = await get(server, "/static/app.js", { "Accept-Encoding": "gzip" });
    expect(gz.headers.get("Content-Encoding")).toBe("gzip");
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(Number(gz.headers.get("Content-Length"))).toBe(gz.body.length);
  });
});

describe("GzipTestCase (web_test.py)", () => {
  class HelloHandler extends RequestHandler {
    override get() {
      for (const vary of this.getArguments("vary")) this.addHeader("Vary", vary);
      this.write("hello world" + "!".repeat(1024));
    }
  }
  const start = () => serve([["/", HelloHandler]], { compressResponse: true });

  it("compresses with Vary: Accept-Encoding, also static files", async () => {
    const server = await start();
    const response = await get(server, "/", { "Accept-Encoding": "gzip" });
    expect(response.headers.get("Content-Encoding")).toBe("gzip");
    expect(response.headers.get("Vary")).toBe("Accept-Encoding");
    expect(gunzipSync(response.body).toString()).toBe("hello world" + "!".repeat(1024));
    const robots = await get(server, "/robots.txt", { "Accept-Encoding": "gzip" });
    expect(robots.headers.get("Content-Encoding")).toBe("gzip");
    expect(gunzipSync(robots.body).toString()).toBe(ROBOTS);
  });

  it("without Accept-Encoding: identity, Vary still set; extra Vary values kept", async () => {
    const server = await start();
    const plain = await get(server, "/");
    expect(plain.headers.has("Content-Encoding")).toBe(false);
    expect(plain.headers.get("Vary")).toBe("Accept-Encoding");
    const vary = (response: { headers: { get(name: string): string | undefined } }) =>
      response.headers.get("Vary")!.split(",").map((s) => s.trim());
    expect(vary(await get(server, "/?vary=Accept-Language", { "Accept-Encoding": "gzip" }))).toEqual(["Accept-Language", "Accept-Encoding"]);
    expect(vary(await get(server, "/?vary=Accept-Language&vary=Cookie", { "Accept-Encoding": "gzip" }))).toEqual([
      "Accept-Language",
      "Cookie",
      "Accept-Encoding",
    ]);
  });

  it("compressResponse \"br\" negotiates brotli", async () => {
    const server = await serve([["/", HelloHandler]], { compressResponse: "br" });
    const response = await get(server, "/", { "Accept-Encoding": "gzip, br" });
    expect(response.headers.get("Content-Encoding")).toBe("br");
    expect(brotliDecompressSync(response.body).toString()).toBe("hello world" + "!".repeat(1024));
  });

  it("without compressResponse: no Vary, no gzip", async () => {
    const server = await serve([["/", HelloHandler]]);
    const response = await get(server, "/", { "Accept-Encoding": "gzip" });
    expect(response.headers.has("Content-Encoding")).toBe(false);
    expect(response.headers.has("Vary")).toBe(false);
  });
});

describe("staticHashCache: false (debug)", () => {
  it("staticUrl follows an edited file at once", async () => {
    class UrlHandler extends RequestHandler {
      override get() {
        this.write(this.staticUrl("edited.txt"));
      }
    }
    writeFileSync(join(tree.root, "edited.txt"), "one");
    const server = await serve([["/url", UrlHandler]], { staticHashCache: false });
    const first = (await get(server, "/url")).body.toString();
    writeFileSync(join(tree.root, "edited.txt"), "two");
    const second = (await get(server, "/url")).body.toString();
    expect(first).not.toBe(second);
    expect(second).toBe(`/static/edited.txt?v=${createHash("sha512").update("two").digest("hex")}`);
  });
});
