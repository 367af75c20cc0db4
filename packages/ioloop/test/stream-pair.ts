// Test helper (not a test file): a connected pair of IOStreams on loopback, over TCP or TLS.
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import * as tls from "node:tls";
import { IOStream, type IOStreamOptions } from "../src/stream/iostream";
import { SSLIOStream } from "../src/stream/ssl-iostream";
import { wrapTlsSocket } from "../src/stream/tls-socket";

export const FIXTURES = path.join(__dirname, "fixtures");
export const CERT = fs.readFileSync(path.join(FIXTURES, "test.crt"));
export const KEY = fs.readFileSync(path.join(FIXTURES, "test.key"));
export const SERVER_SSL = { cert: CERT, key: KEY };
export const CLIENT_SSL = { ca: CERT };

export type Transport = "TCP" | "TLS";

/** Accepts one connection on 127.0.0.1 and returns [server side, client side]. */
export async function makeStreamPair(
  transport: Transport,
  options: IOStreamOptions = {},
): Promise<[IOStream, IOStream]> {
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const port = (listener.address() as net.AddressInfo).port;
  const accepted = new Promise<net.Socket>((resolve) => listener.once("connection", resolve));
  const rawClient = net.connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    rawClient.once("connect", resolve);
    rawClient.once("error", reject);
  });
  const rawServer = await accepted;
  listener.close();
  if (transport === "TCP") {
    return [new IOStream(rawServer, options), new IOStream(rawClient, options)];
  }
  const server = new SSLIOStream(wrapTlsSocket(rawServer, true, SERVER_SSL), {
    ...options,
    serverSide: true,
  });
  const client = new SSLIOStream(wrapTlsSocket(rawClient, false, CLIENT_SSL, "localhost"), options);
  await Promise.all([server.waitForHandshake(), client.waitForHandshake()]);
  return [server, client];
}

export function closedPromise(stream: IOStream): Promise<void> {
  return new Promise((resolve) => stream.setCloseCallback(resolve));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export { tls };
