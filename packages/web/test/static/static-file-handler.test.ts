import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { urlUnescape } from "@tornado/escape";
import { HTTPHeaders } from "@tornado/httputil";
import { HTTPServerRequest } from "@tornado/httpserver";
import { setLogHandler } from "@tornado/ioloop";
import { Application } from "../../src/application";
import { HTTPError } from "../../src/errors";
import { formatContentRange, parseRequestRange } from "../../src/static/http-range";
import { StaticFileHandler } from "../../src/static/static-file-handler";
import { HOSTILE_STATIC_PATHS } from "./static-traversal-paths";
import { makeStaticTree, ROBOTS } from "./static-tree";

let tree: ReturnType<typeof makeStaticTree>;
let restoreLog: ReturnType<typeof setLogHandler>;
beforeAll(() => {
  tree = makeStaticTree();
  restoreLog = setLogHandler(() => undefined);
});
afterAll(() => {
  tree.cleanup();
  setLogHandler(restoreLog);
});

function handlerFor(uri: string, options: { defaultFilename?: string } = {}, headers: Record<string, string> = {}) {
  const app = new Application([], { staticPath: tree.root });
  const request = new HTTPServerRequest({ method: "GET", uri, headers: new HTTPHeaders(headers) });
  const handler = new StaticFileHandler(app, request);
  handler.initialize({ path: tree.root, ...options });
  return handler;
}

/** What routing does to the `(.*)` group: unescape to bytes (`+` kept), strict UTF-8. */
function routedGroup(raw: string): string | 400 {
  const bytes = urlUnescape(Buffer.from(raw, "latin1"), { encoding: null, plus: false });
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return 400;
  }
}

async function statusOf(raw: string, options: { defaultFilename?: string } = {}): Promise<number> {
  const group = routedGroup(raw);
  if (group === 400) return 400;
  const handler = handlerFor(`/static/${raw}`, options);
  handler.path = handler.parseUrlPath(group);
  try {
    const absolute = StaticFileHandler.getAbsolutePath(handler.root, handler.path);
    const validated = await handler.validateAbsolutePath(handler.root, absolute);
    return validated === null ? 301 : 200;
  } catch (error) {
    if (error instanceof HTTPError) return error.statusCode;
    // redirect() needs a connection, which this unit test does not have.
    if ((error as Error).name === "ResponseStateError") return 301;
    throw error;
  }
}

describe("static path validation: the traversal table", () => {
  it(`has at least 40 hostile paths (${HOSTILE_STATIC_PATHS.length})`, () => {
    expect(HOSTILE_STATIC_PATHS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(HOSTILE_STATIC_PATHS.map(([raw, status]) => [raw, status]))("%s -> %d", async (raw, status) => {
    expect(await statusOf(raw as string)).toBe(status);
    // With a default filename too: a directory outside the root is still refused.
    const withDefault = await statusOf(raw as string, { defaultFilename: "index.html" });
    // (A directory inside the root gets its trailing-slash redirect instead.)
    expect(status === 403 && raw !== "link-parent" ? [301, 403] : [status]).toContain(withDefault);
  });

  it("ordinary paths are served", async () => {
    expect(await statusOf("robots.txt")).toBe(200);
    expect(await statusOf("dir/index.html")).toBe(200);
    expect(await statusOf("dir/../robots.txt")).toBe(200);
    expect(await statusOf("dir/", { defaultFilename: "index.html" })).toBe(200);
  });

  it("the open-redirect guard: a directory under // is 403 (StaticDefaultFilenameRootTest)", async () => {
    const handler = handlerFor("//evil.com/../dir", { defaultFilename: "index.html" });
    handler.path = "dir";
    await expect(
      handler.validateAbsolutePath(tree.root, StaticFileHandler.getAbsolutePath(tree.root, "dir")),
    ).rejects.toMatchObject({ statusCode: 403, logMessage: "cannot redirect path with two initial slashes" });
  });

  it("an absolute path is checked against the root, as Python's os.path.join", () => {
    expect(StaticFileHandler.getAbsolutePath("/srv/static", "/etc/passwd")).toBe("/etc/passwd");
    expect(StaticFileHandler.getAbsolutePath("/", "/etc/passwd")).toBe("/etc/passwd");
  });
});

describe("Range parsing (httputil._parse_request_range)", () => {
  it.each([
    ["bytes=0-9", [0, 10]],
    ["bytes=0-", [0, null]],
    ["bytes=1-10000000", [1, 10000001]],
    ["bytes=22-", [22, null]],
    ["bytes=-4", [-4, null]],
    ["bytes=-0", [null, 0]],
    ["bytes=26", [26, null]],
    ["bytes=10-3", [10, 4]],
    ["bytes = 3 - 4", [3, 5]],
    ["asdf", null],
    ["items=0-5", null],
    ["bytes=0-1,3-4", null],
    ["bytes=a-b", null],
  ])("%s", (header, expected) => {
    expect(parseRequestRange(header as string)).toEqual(expected);
  });

  it("Content-Range", () => {
    expect(formatContentRange(null, 1, 4)).toBe("bytes 0-0/4");
    expect(formatContentRange(1, 3, 4)).toBe("bytes 1-2/4");
    expect(formatContentRange(null, null, 4)).toBe("bytes 0-3/4");
  });
});

describe("StaticFileHandler pieces", () => {
  it("content types as Tornado decides them", () => {
    const type = (file: string) => {
      const handler = handlerFor("/x");
      handler.absolutePath = join(tree.root, file);
      return handler.getContentType();
    };
    expect(type("robots.txt")).toBe("text/plain");
    expect(type("sample.xml.gz")).toBe("application/gzip");
    expect(type("sample.xml.bz2")).toBe("application/octet-stream");
    expect(["text/xml", "application/xml"]).toContain(type("sample.xml"));
    expect(["text/javascript", "application/javascript"]).toContain(type("app.js"));
    expect(type("no-extension")).toBe("application/octet-stream");
  });

  it("versions are the SHA-512 of the content; static URLs carry them", () => {
    StaticFileHandler.reset();
    const sha = createHash("sha512").update(ROBOTS).digest("hex");
    expect(StaticFileHandler.getContentVersion(join(tree.root, "robots.txt"))).toBe(sha);
    const settings = { staticPath: tree.root };
    expect(StaticFileHandler.makeStaticUrl(settings, "robots.txt")).toBe(`/static/robots.txt?v=${sha}`);
    expect(StaticFileHandler.makeStaticUrl(settings, "robots.txt", false)).toBe("/static/robots.txt");
    expect(StaticFileHandler.makeStaticUrl({ ...settings, staticUrlPrefix: "/s/" }, "missing.txt")).toBe("/s/missing.txt");
  });

  it("getContent streams [start, end) in chunks", async () => {
    const big = join(tree.base, "big.bin");
    const data = Buffer.alloc(200 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = i % 251;
    writeFileSync(big, data);
    const collect = async (start: number | null, end: number | null) => {
      const chunks: Buffer[] = [];
      for await (const chunk of StaticFileHandler.getContent(big, start, end) as AsyncIterable<Buffer>) {
        expect(chunk.length).toBeLessThanOrEqual(64 * 1024);
        chunks.push(chunk);
      }
      return Buffer.concat(chunks);
    };
    expect((await collect(null, null)).equals(data)).toBe(true);
    expect((await collect(100, 70000)).equals(data.subarray(100, 70000))).toBe(true);
    expect((await collect(199 * 1024, null)).equals(data.subarray(199 * 1024))).toBe(true);
    expect(readFileSync(join(tree.root, "robots.txt"), "utf8")).toBe(ROBOTS);
  });
});
