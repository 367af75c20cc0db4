// One HTTP/2 benchmark server: `node server.js <tornado-web|tornado-server|fastify|node-http2> [tls]`.
// Cleartext HTTP/2 with prior knowledge (h2c), as h2load speaks it to http:// URLs, or with
// `tls` HTTP/2 over TLS (ALPN h2; the test certificate of packages/httpserver):
//   GET /      -> "Hello, World!" (text/plain)
//   GET /json  -> {"message":"Hello, World!"} (application/json)
// Every server adds Date. Prints the port on stdout once listening. Requires built packages
// (`npx tsc -b` in packages/web).
"use strict";
const { readFileSync } = require("node:fs");
const path = require("node:path");
const kind = process.argv[2];
const HELLO = "Hello, World!";
const FIXTURES = path.join(__dirname, "..", "..", "packages", "httpserver", "test", "fixtures");
const TLS = process.argv[3] === "tls" ? { key: readFileSync(path.join(FIXTURES, "test-key.pem")), cert: readFileSync(path.join(FIXTURES, "test-cert.pem")) } : undefined;

process.on("SIGTERM", () => process.exit(0));

async function main() {
  if (kind === "tornado-web") {
    const { Application, RequestHandler } = require("@tornado/web");
    const { accessLog, LogLevel } = require("@tornado/ioloop");
    // As bench/web: no access line per request (Python Tornado's default drops them too).
    accessLog.level = LogLevel.WARNING;
    class Hello extends RequestHandler {
      get() {
        this.setHeader("Content-Type", "text/plain");
        this.write(HELLO);
      }
    }
    class Json extends RequestHandler {
      get() {
        this.write({ message: HELLO });
      }
    }
    const app = new Application([
      ["/", Hello],
      ["/json", Json],
    ]);
    const server = await app.listen(0, "127.0.0.1", { http2: true, sslOptions: TLS });
    console.log(server.boundPorts()[0]);
  } else if (kind === "tornado-server") {
    const { HTTPServer } = require("@tornado/httpserver");
    const { HTTPHeaders, ResponseStartLine } = require("@tornado/httputil");
    const ok = new ResponseStartLine("HTTP/1.1", 200, "OK");
    const hello = Buffer.from(HELLO);
    const server = new HTTPServer(
      (request) => {
        const json = request.path === "/json";
        const body = json ? Buffer.from(JSON.stringify({ message: HELLO })) : hello;
        const headers = new HTTPHeaders();
        headers.set("Content-Type", json ? "application/json" : "text/plain");
        headers.set("Content-Length", String(body.length));
        request.connection.writeHeaders(ok, headers, body);
        request.connection.finish();
      },
      { http2: true, sslOptions: TLS },
    );
    await server.listen(0, "127.0.0.1");
    console.log(server.boundPorts()[0]);
  } else if (kind === "fastify") {
    const app = require("fastify")({ http2: true, https: TLS, logger: false });
    app.get("/", async (_request, reply) => {
      reply.type("text/plain");
      return HELLO;
    });
    app.get("/json", async () => ({ message: HELLO }));
    await app.listen({ port: 0, host: "127.0.0.1" });
    console.log(app.server.address().port);
  } else if (kind === "node-http2") {
    // node:http2's core stream API, no framework: the floor under every row.
    const http2 = require("node:http2");
    const server = TLS ? http2.createSecureServer(TLS) : http2.createServer();
    server.on("stream", (stream, headers) => {
      const json = headers[":path"] === "/json";
      const body = json ? JSON.stringify({ message: HELLO }) : HELLO;
      stream.respond({ ":status": 200, "content-type": json ? "application/json" : "text/plain", "content-length": Buffer.byteLength(body) });
      stream.end(body);
    });
    server.listen(0, "127.0.0.1", () => console.log(server.address().port));
  } else {
    throw new Error(`unknown server ${kind}`);
  }
}
main();
