// maxBodySize (after decompression, Tornado 6.5.6), maxHeaderSize, and connectTimeout.
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import { AsyncHTTPClient, HTTPRequestOptionError, HTTPStreamClosedError, HTTPTimeoutError } from "@tornado/httpclient";
import { startServer, type TestServer } from "./helpers";

let server: TestServer;

beforeEach(async () => {
  server = await startServer({
    "/big_header": (_request, response) => {
      response.setHeader("X-Big", "b".repeat(20000));
      response.end("ok");
    },
  });
});

afterEach(async () => {
  await server.close();
});

async function withClient<T>(options: ConstructorParameters<typeof AsyncHTTPClient>[0], body: (client: AsyncHTTPClient) => Promise<T>): Promise<T> {
  const client = new AsyncHTTPClient(options);
  try {
    return await body(client);
  } finally {
    await client.close();
  }
}

test("a body over maxBodySize fails with a 599 (test_large_body_buffered)", async () => {
  await withClient({ maxBodySize: 1000 }, async (client) => {
    expect((await client.fetch(server.url("/large?size=1000"))).body.length).toBe(1000);
    const error = await client.fetch(server.url("/large?size=1001")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPStreamClosedError);
    expect((error as Error).message).toBe("HTTP 599: Response body larger than maxBodySize (1000 bytes)");
    const streamed = await client.fetch(server.url("/large?size=5000"), { streamingCallback: () => undefined }).catch((e: unknown) => e);
    expect(streamed).toBeInstanceOf(HTTPStreamClosedError);
  });
});

test("maxBodySize applies after decompression, buffered and streamed", async () => {
  // /gzip sends 800 bytes compressed to far fewer.
  await withClient({ maxBodySize: 500 }, async (client) => {
    const buffered = await client.fetch(server.url("/gzip")).catch((e: unknown) => e);
    expect((buffered as Error).message).toMatch(/larger than maxBodySize \(500 bytes\)/);
    const streamed = await client.fetch(server.url("/gzip"), { streamingCallback: () => undefined }).catch((e: unknown) => e);
    expect((streamed as Error).message).toMatch(/larger than maxBodySize/);
    const raw = await client.fetch(server.url("/gzip"), { decompressResponse: false, headers: { "Accept-Encoding": "gzip" } });
    expect(raw.headers.get("Content-Encoding")).toBe("gzip");
  });
});

test("heads up to 64 KiB by default; maxHeaderSize lowers it (test_large_headers)", async () => {
  await withClient({}, async (client) => {
    expect((await client.fetch(server.url("/big_header"))).headers.get("X-Big")!.length).toBe(20000);
  });
  await withClient({ maxHeaderSize: 4096 }, async (client) => {
    await expect(client.fetch(server.url("/big_header"))).rejects.toBeInstanceOf(HTTPStreamClosedError);
  });
});

test("bad limits are refused", () => {
  expect(() => new AsyncHTTPClient({ maxBodySize: 0 })).toThrow(HTTPRequestOptionError);
  expect(() => new AsyncHTTPClient({ maxHeaderSize: 1.5 })).toThrow("maxHeaderSize must be a positive integer number of bytes, got 1.5");
});

test("connectTimeout: a TLS handshake that never comes is 'Timeout while connecting'", async () => {
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  try {
    await withClient({}, async (client) => {
      const url = `https://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
      const error = await client.fetch(url, { connectTimeout: 0.1, requestTimeout: 10 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HTTPTimeoutError);
      expect((error as HTTPTimeoutError).message).toBe("HTTP 599: Timeout while connecting");
    });
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});
