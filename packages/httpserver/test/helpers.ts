/**
 * Test helpers: a server on an ephemeral loopback port, and a raw socket client that sends
 * exact bytes and collects everything until the server closes (or goes quiet).
 */

import * as net from "node:net";
import { HTTPHeaders, HTTPServer, ResponseStartLine, type HTTPServerOptions, type HTTPServerRequest, type RequestCallback, type HTTPServerConnectionDelegate } from "../src/index";

export async function startServer(
  callback: RequestCallback | HTTPServerConnectionDelegate,
  options: HTTPServerOptions = {},
): Promise<{ server: HTTPServer; port: number; close: () => Promise<void> }> {
  const server = new HTTPServer(callback, options);
  await server.listen(0, "127.0.0.1");
  const port = server.boundPorts()[0]!;
  return {
    server,
    port,
    close: async () => {
      server.stop();
      for (const connection of server.connections) connection.close();
      await server.closeAllConnections();
    },
  };
}

/** Answers `body` with a Content-Length (status 200 unless given). */
export function respond(request: HTTPServerRequest, body: string | Buffer, status = 200, extra: Record<string, string> = {}): void {
  const data = typeof body === "string" ? Buffer.from(body) : body;
  const headers = new HTTPHeaders({ "Content-Length": String(data.length), ...extra });
  void request.connection!.writeHeaders(new ResponseStartLine("HTTP/1.1", status, status === 200 ? "OK" : "Status"), headers, data);
  request.connection!.finish();
}

export interface RawResult {
  data: Buffer;
  text: string;
  closed: boolean;
}

/** Sends `chunks` (with `delayMs` between them) and collects until close or `idleMs` of quiet. */
export function rawRequest(port: number, chunks: Array<string | Buffer> | string | Buffer, options: { idleMs?: number; delayMs?: number } = {}): Promise<RawResult> {
  const list = Array.isArray(chunks) ? chunks : [chunks];
  const idleMs = options.idleMs ?? 500;
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    let closed = false;
    let timer: NodeJS.Timeout | null = null;
    let done = false;
    const socket = net.connect(port, "127.0.0.1");
    const finish = (): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      socket.destroy();
      const data = Buffer.concat(received);
      resolve({ data, text: data.toString("latin1"), closed });
    };
    const arm = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(finish, idleMs);
    };
    socket.on("data", (data) => {
      received.push(data);
      arm();
    });
    socket.on("error", () => {
      closed = true;
      finish();
    });
    socket.on("close", () => {
      closed = true;
      finish();
    });
    socket.on("connect", async () => {
      for (let i = 0; i < list.length; i++) {
        if (i > 0 && options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
        if (!socket.destroyed) socket.write(typeof list[i] === "string" ? Buffer.from(list[i] as string, "latin1") : (list[i] as Buffer));
      }
      arm();
    });
  });
}
