// TLS with a self-signed certificate (validateCert on and off, caCerts, client certificates)
// and an HTTP CONNECT proxy, all on loopback.
import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import * as path from "node:path";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { AsyncHTTPClient, HTTPRequestOptionError, HTTPStreamClosedError } from "@tornado/httpclient";

const FIXTURES = path.join(__dirname, "fixtures");
const CERT = path.join(FIXTURES, "test-cert.pem");
const KEY = path.join(FIXTURES, "test-key.pem");
const CLIENT_CERT = path.join(FIXTURES, "client-cert.pem");
const CLIENT_KEY = path.join(FIXTURES, "client-key.pem");

let server: https.Server;
let port: number;
let client: AsyncHTTPClient;

beforeEach(async () => {
  server = https.createServer(
    {
      cert: readFileSync(CERT),
      key: readFileSync(KEY),
      requestCert: true,
      rejectUnauthorized: false,
      ca: [readFileSync(CLIENT_CERT)],
    },
    (request, response) => {
      const socket = request.socket as import("node:tls").TLSSocket;
      const peer = socket.getPeerCertificate();
      response.end(`secure ${socket.authorized ? `client:${String(peer.subject.CN)}` : "anonymous"}`);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  client = new AsyncHTTPClient();
});

afterEach(async () => {
  await client.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test("a self-signed certificate is refused by default (validateCert true)", async () => {
  const error = await client.fetch(`https://127.0.0.1:${port}/`).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HTTPStreamClosedError);
  expect((error as HTTPStreamClosedError).code).toBe(599);
  expect(String((error as HTTPStreamClosedError).realError)).toMatch(/self[- ]signed/i);
});

test("validateCert false accepts it", async () => {
  const response = await client.fetch(`https://127.0.0.1:${port}/`, { validateCert: false });
  expect(response.text).toBe("secure anonymous");
});

test("caCerts (a path or PEM content) makes it trusted", async () => {
  expect((await client.fetch(`https://127.0.0.1:${port}/`, { caCerts: CERT })).text).toBe("secure anonymous");
  expect((await client.fetch(`https://localhost:${port}/`, { caCerts: readFileSync(CERT) })).code).toBe(200);
});

test("clientCert and clientKey present a client certificate", async () => {
  const response = await client.fetch(`https://127.0.0.1:${port}/`, {
    caCerts: CERT,
    clientCert: CLIENT_CERT,
    clientKey: CLIENT_KEY,
  });
  expect(response.text).toBe("secure client:tornado-test-client");
});

test("an unreadable caCerts file is an option error", async () => {
  await expect(client.fetch(`https://127.0.0.1:${port}/`, { caCerts: "/nonexistent/ca.pem" })).rejects.toBeInstanceOf(
    HTTPRequestOptionError,
  );
});

describe("proxy", () => {
  let proxy: http.Server;
  let proxyPort: number;
  const tunnels: string[] = [];
  const authorizations: (string | undefined)[] = [];

  beforeEach(async () => {
    tunnels.length = 0;
    authorizations.length = 0;
    proxy = http.createServer((_request, response) => {
      response.statusCode = 405;
      response.end();
    });
    proxy.on("connect", (request: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      tunnels.push(request.url!);
      authorizations.push(request.headers["proxy-authorization"]);
      const [host, targetPort] = request.url!.split(":");
      const upstream = net.connect(Number(targetPort), host, () => {
        socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on("error", () => socket.destroy());
      socket.on("error", () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    proxyPort = (proxy.address() as AddressInfo).port;
  });

  afterEach(async () => {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
  });

  test("https through a CONNECT proxy (proxyHost, proxyPort, proxy credentials)", async () => {
    const response = await client.fetch(`https://127.0.0.1:${port}/`, {
      proxyHost: "127.0.0.1",
      proxyPort,
      proxyUsername: "pu",
      proxyPassword: "pp",
      validateCert: false,
    });
    expect(response.text).toBe("secure anonymous");
    expect(tunnels).toEqual([`127.0.0.1:${port}`]);
    expect(authorizations).toEqual([`Basic ${Buffer.from("pu:pp").toString("base64")}`]);
  });

  test("plain http through the proxy", async () => {
    const target = http.createServer((_request, response) => response.end("via proxy"));
    await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
    const targetPort = (target.address() as AddressInfo).port;
    try {
      const response = await client.fetch(`http://127.0.0.1:${targetPort}/`, { proxyHost: "127.0.0.1", proxyPort });
      expect(response.text).toBe("via proxy");
      expect(tunnels).toEqual([`127.0.0.1:${targetPort}`]);
    } finally {
      await client.close();
      target.closeAllConnections();
      await new Promise((resolve) => target.close(resolve));
    }
  });
});
