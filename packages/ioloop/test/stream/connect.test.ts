// IOStream.connect and SSLIOStream.connect (iostream_test.py: test_connection_refused,
// TestIOStreamMixin's connect cases, TestIOStreamSSL's server_hostname checks), and
// bindUnixSocket (netutil_test.py) with a Unix-socket IOStream.
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tls from "node:tls";
import { IOStream, SSLIOStream, StreamClosedError, TCPServer, bindUnixSocket, type PeerAddress } from "@tornado/ioloop";
import { CLIENT_SSL, SERVER_SSL } from "../stream-pair";

class EchoServer extends TCPServer {
  peers: PeerAddress[] = [];
  override async handleStream(stream: IOStream, address: PeerAddress): Promise<void> {
    this.peers.push(address);
    try {
      for (;;) await stream.write(await stream.readUntil("\n"));
    } catch {
      // the client left
    }
  }
}

test("connect() connects a fresh socket; writes made while connecting are sent after", async () => {
  const server = new EchoServer();
  await server.listen(0, "127.0.0.1");
  const stream = new IOStream(new net.Socket());
  try {
    const connecting = stream.connect(["127.0.0.1", server.boundPorts()[0] as number]);
    const early = stream.write("early\n");
    await expect(connecting).resolves.toBe(stream);
    await early;
    expect((await stream.readUntil("\n")).toString()).toBe("early\n");
  } finally {
    stream.close();
    server.stop({ closeStreams: true });
  }
});

test("connection refused rejects with StreamClosedError carrying ECONNREFUSED", async () => {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const stream = new IOStream(new net.Socket());
  const error = (await stream.connect(["127.0.0.1", port]).catch((e: unknown) => e)) as StreamClosedError;
  expect(error).toBeInstanceOf(StreamClosedError);
  expect(error.realError).toMatchObject({ code: "ECONNREFUSED" });
  expect(stream.closed()).toBe(true);
  expect(() => new IOStream(new net.Socket()).connect(["127.0.0.1"] as unknown as [string, number])).toThrow(TypeError);
});

describe("SSLIOStream.connect(address, serverHostname)", () => {
  let server: tls.Server;
  let port: number;
  beforeAll(async () => {
    server = tls.createServer(SERVER_SSL, (socket) => socket.end(`hello ${socket.servername}\n`));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  test("verifies the certificate against serverHostname and sends it as SNI", async () => {
    const stream = new SSLIOStream(new net.Socket(), { sslOptions: CLIENT_SSL });
    try {
      await expect(stream.connect(["127.0.0.1", port], "localhost")).resolves.toBe(stream);
      expect((await stream.readUntil("\n")).toString()).toBe("hello localhost\n");
    } finally {
      stream.close();
    }
  });

  test("a name the certificate does not cover fails the handshake", async () => {
    const stream = new SSLIOStream(new net.Socket(), { sslOptions: CLIENT_SSL });
    await expect(stream.connect(["127.0.0.1", port], "example.com")).rejects.toMatchObject({ code: "ERR_TLS_CERT_ALTNAME_INVALID" });
    expect(stream.closed()).toBe(true);
  });

  test("a connected stream cannot connect again", () => {
    const stream = new SSLIOStream(new net.Socket(), { sslOptions: CLIENT_SSL });
    void stream.connect(["127.0.0.1", port], "localhost").catch(() => {});
    expect(() => stream.connect(["127.0.0.1", port])).toThrow(/not yet connected/);
    stream.close();
  });
});

describe("bindUnixSocket", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "tornado-unix-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("serves a TCPServer over a Unix socket, with the mode asked for", async () => {
    const file = join(dir, "echo.sock");
    writeFileSync(join(dir, "plain"), "");
    await expect(bindUnixSocket(join(dir, "plain"))).rejects.toThrow(/exists and is not a socket/);
    const server = new EchoServer();
    server.addSocket(await bindUnixSocket(file, 0o600));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stream = new IOStream(new net.Socket());
    try {
      await stream.connect(file);
      await stream.write("over unix\n");
      expect((await stream.readUntil("\n")).toString()).toBe("over unix\n");
      expect(server.peers).toEqual([file]);
    } finally {
      stream.close();
      server.stop({ closeStreams: true });
    }
    // A stale socket file is replaced.
    const again = await bindUnixSocket(file);
    await new Promise((resolve) => again.close(resolve));
  });
});
