// One hello-world server for bench/http/run.js: `node server.js <tornado|node|fastify> [port]`.
// GET / -> "Hello, world" (text/plain, Content-Length; every server adds Date), keep-alive. Prints the port on
// stdout once listening. Requires built packages (`npx tsc -b` in packages/httpserver).
"use strict";
const kind = process.argv[2];
const port = Number(process.argv[3] || 0);
const BODY = Buffer.from("Hello, world");
// Idle keep-alive connections are kept an hour by every server (the idle-RSS run holds 10,000).
const KEEP_ALIVE_SECONDS = 3600;
// The same accept queue for all (Tornado's default is 128, node's 511): the idle run connects fast.
const BACKLOG = 1024;

process.on("SIGTERM", () => process.exit(0));

async function main() {
  if (kind === "tornado") {
    const { HTTPServer } = require("@tornado/httpserver");
    const { HTTPHeaders, ResponseStartLine } = require("@tornado/httputil");
    const ok = new ResponseStartLine("HTTP/1.1", 200, "OK");
    const server = new HTTPServer((request) => {
      const headers = new HTTPHeaders();
      headers.set("Content-Type", "text/plain");
      headers.set("Content-Length", "12");
      request.connection.writeHeaders(ok, headers, BODY);
      request.connection.finish();
    }, { idleConnectionTimeout: KEEP_ALIVE_SECONDS });
    await server.listen(port, "127.0.0.1", { backlog: BACKLOG });
    console.log(server.boundPorts()[0]);
  } else if (kind === "node") {
    const http = require("node:http");
    const server = http.createServer((request, response) => {
      response.writeHead(200, { "Content-Type": "text/plain", "Content-Length": 12 });
      response.end(BODY);
    });
    server.keepAliveTimeout = KEEP_ALIVE_SECONDS * 1000;
    server.headersTimeout = 0;
    server.requestTimeout = 0;
    server.listen({ port, host: "127.0.0.1", backlog: BACKLOG }, () => console.log(server.address().port));
  } else if (kind === "fastify") {
    const fastify = require("fastify")({ logger: false, keepAliveTimeout: KEEP_ALIVE_SECONDS * 1000 });
    fastify.get("/", (request, reply) => {
      reply.header("Content-Type", "text/plain").send(BODY);
    });
    await fastify.listen({ port, host: "127.0.0.1", backlog: BACKLOG });
    console.log(fastify.server.address().port);
  } else {
    throw new Error(`unknown server ${kind}`);
  }
}
main();
