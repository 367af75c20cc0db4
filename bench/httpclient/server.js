// The server side of the httpclient benchmark, run in its own process so that the client's
// CPU is measured alone: node:http (default) or our HTTPServer (`tornado`), answering every
// request with a small fixed body.
"use strict";
const http = require("node:http");

const kind = process.argv[2] ?? "node";
const BODY = Buffer.from("Hello, world! ".repeat(8));

async function main() {
  let port;
  if (kind === "tornado") {
    const { HTTPServer } = require("@tornado/httpserver");
    const { HTTPHeaders, ResponseStartLine } = require("@tornado/httputil");
    const server = new HTTPServer((request) => {
      const headers = new HTTPHeaders({ "Content-Type": "text/plain", "Content-Length": String(BODY.length) });
      void request.connection.writeHeaders(new ResponseStartLine("HTTP/1.1", 200, "OK"), headers, BODY);
      request.connection.finish();
    });
    await server.listen(0, "127.0.0.1");
    port = server.boundPorts()[0];
  } else {
    const server = http.createServer((request, response) => {
      response.writeHead(200, { "Content-Type": "text/plain", "Content-Length": BODY.length });
      response.end(BODY);
    });
    server.keepAliveTimeout = 60_000;
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = server.address().port;
  }
  process.send({ port });
}

main();
