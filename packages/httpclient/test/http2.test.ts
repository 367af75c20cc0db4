// AsyncHTTPClient({ allowH2: true }) against our own HTTPServer({ http2: true }) over TLS: the
// client speaks HTTP/2 when ALPN chooses it, HTTP/1.1 without the option, on the same port.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { AsyncHTTPClient, HTTPRequestOptionError } from "@tornado/httpclient";
import { HTTPHeaders, ResponseStartLine } from "@tornado/httputil";
import { HTTPServer, type HTTPServerRequest } from "@tornado/httpserver";

const FIXTURES = path.join(__dirname, "fixtures");
const sslOptions = { key: readFileSync(path.join(FIXTURES, "test-key.pem")), cert: readFileSync(path.join(FIXTURES, "test-cert.pem")) };

function respond(request: HTTPServerRequest, body: Buffer | string, extra: Record<string, string> = {}): void {
  const data = Buffer.from(body);
  const status = request.path === "/redirect" ? 302 : 200;
  const headers = new HTTPHeaders({ "Content-Length": String(data.length), ...extra });
  void request.connection!.writeHeaders(new ResponseStartLine("HTTP/1.1", status, "OK"), headers, data);
  request.connection!.finish();
}

let server: HTTPServer;
let base: string;
beforeAll(async () => {
  server = new HTTPServer(
    (request) => {
      if (request.path === "/redirect") respond(request, "", { Location: "/version" });
      else if (request.path === "/gzip") respond(request, gzipSync("h2 ".repeat(100)), { "Content-Encoding": "gzip" });
      else respond(request, `${request.version} ${request.method} ${request.body.length}`);
    },
    { http2: true, sslOptions },
  );
  await server.listen(0, "127.0.0.1");
  base = `https://127.0.0.1:${server.boundPorts()[0]}`;
});
afterAll(async () => {
  server.stop();
  await server.closeAllConnections();
});

test("allowH2 speaks HTTP/2 to a server whose ALPN chooses h2: GET, POST, redirects, gzip", async () => {
  const client = new AsyncHTTPClient({ allowH2: true, defaults: { validateCert: false } });
  try {
    expect((await client.fetch(`${base}/version`)).text).toBe("HTTP/2.0 GET 0");
    expect((await client.fetch(`${base}/post`, { method: "POST", body: "x".repeat(100000) })).text).toBe("HTTP/2.0 POST 100000");
    const redirected = await client.fetch(`${base}/redirect`);
    expect([redirected.text, redirected.effectiveUrl]).toEqual(["HTTP/2.0 GET 0", `${base}/version`]);
    expect((await client.fetch(`${base}/gzip`)).text).toBe("h2 ".repeat(100));
    expect(server.http2Connections.size).toBe(1);
  } finally {
    await client.close();
  }
});

test("without allowH2 the same server is spoken to in HTTP/1.1", async () => {
  const client = new AsyncHTTPClient({ defaults: { validateCert: false } });
  try {
    expect((await client.fetch(`${base}/version`)).text).toBe("HTTP/1.1 GET 0");
  } finally {
    await client.close();
  }
});

test("allowH2 must be a boolean", () => {
  expect(() => new AsyncHTTPClient({ allowH2: "yes" as never })).toThrow(HTTPRequestOptionError);
  expect(() => new AsyncHTTPClient({ allowH2: "yes" as never })).toThrow("allowH2 must be a boolean, got yes");
});
