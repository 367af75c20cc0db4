// A node:http test application on loopback, in the spirit of httpclient_test.py's handlers.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";

export interface TestServer {
  server: http.Server;
  port: number;
  url(path: string): string;
  /** Remote ports of every connection the server accepted, in order. */
  connections: number[];
  /** Resolves the pending /chunk request's second write. */
  release(): void;
  close(): Promise<void>;
}

function readBody(request: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

export type Route = (
  request: http.IncomingMessage,
  response: http.ServerResponse,
  body: Buffer,
  query: URLSearchParams,
  context: TestServer,
) => void;

export async function startServer(extraRoutes: Record<string, Route> = {}): Promise<TestServer> {
  let pendingRelease: (() => void) | null = null;
  const hanging = new Set<http.ServerResponse>();
  const routes: Record<string, Route> = {
    "/hello": (_request, response, _body, query) => {
      response.setHeader("Content-Type", "text/plain");
      response.end(`Hello ${query.get("name") ?? "world"}!`);
    },
    "/post": (_request, response, body) => {
      const form = new URLSearchParams(body.toString());
      response.end(`Post arg1: ${form.get("arg1")}, arg2: ${form.get("arg2")}`);
    },
    "/put": (_request, response, body) => response.end(`Put body: ${body.toString()}`),
    "/echopost": (_request, response, body) => response.end(body),
    "/all_methods": (request, response, body) => {
      response.setHeader("method", request.method!);
      response.end(request.method === "HEAD" ? undefined : request.method! + body.toString());
    },
    "/chunk": (_request, response) => {
      response.setHeader("Content-Type", "text/html; charset=UTF-8");
      response.write("asdf");
      pendingRelease = () => response.end("qwer");
    },
    "/auth": (request, response) => response.end(request.headers.authorization ?? ""),
    "/echo_headers": (request, response) => {
      response.setHeader("Content-Type", "application/json");
      response.end(JSON.stringify(request.rawHeaders));
    },
    "/user_agent": (request, response) => response.end(request.headers["user-agent"] ?? ""),
    "/redirect": (_request, response, _body, query) => {
      response.statusCode = Number(query.get("status") ?? 302);
      const url = query.get("url");
      if (url !== null) response.setHeader("Location", url);
      response.end();
    },
    "/gzip": (request, response) => {
      const data = Buffer.from("asdfqwer".repeat(100));
      if (/gzip/.test(request.headers["accept-encoding"] ?? "")) {
        response.setHeader("Content-Encoding", "gzip");
        response.end(gzipSync(data));
      } else {
        response.end(data);
      }
    },
    "/never": (_request, response) => {
      hanging.add(response);
    },
    "/destroy": (request) => request.socket.destroy(),
    "/half": (_request, response) => {
      response.writeHead(200, { "Content-Length": "100" });
      response.write("only some");
      setImmediate(() => response.socket?.destroy());
    },
    "/countdown/*": (request, response) => {
      const count = Number(new URL(request.url!, "http://x").pathname.split("/")[2]);
      if (count > 0) {
        response.writeHead(302, { Location: `/countdown/${count - 1}` });
        response.end();
      } else {
        response.end("Zero");
      }
    },
    "/socket": (request, response) => response.end(String(request.socket.remotePort)),
    "/304_with_content_length": (_request, response) => {
      response.writeHead(304, { "Content-Length": "42" });
      response.end();
    },
    "/large": (_request, response, _body, query) => {
      const size = Number(query.get("size"));
      response.setHeader("Content-Length", String(size));
      const chunk = Buffer.alloc(65536, "x");
      let left = size;
      const pump = (): void => {
        while (left > 0) {
          const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
          left -= piece.length;
          if (!response.write(piece)) {
            response.once("drain", pump);
            return;
          }
        }
        response.end();
      };
      pump();
    },
    "/status": (_request, response, _body, query) => {
      response.statusCode = Number(query.get("code"));
      const reason = query.get("reason");
      if (reason !== null) response.statusMessage = reason;
      response.end(query.get("body") ?? "");
    },
    ...extraRoutes,
  };
  const connections: number[] = [];
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url!, "http://x");
    const body = await readBody(request);
    const route = routes[url.pathname] ?? routes[url.pathname.replace(/\/[^/]*$/, "/*")];
    if (route === undefined) {
      response.statusCode = 404;
      response.end("not found");
      return;
    }
    route(request, response, body, url.searchParams, context);
  });
  server.on("connection", (socket) => connections.push(socket.remotePort!));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const context: TestServer = {
    server,
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    connections,
    release: () => {
      pendingRelease?.();
      pendingRelease = null;
    },
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return context;
}
