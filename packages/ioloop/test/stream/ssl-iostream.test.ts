// Port of iostream_test.py TestIOStreamStartTLS and WaitForHandshakeTest on loopback.
import * as net from "node:net";
import * as tls from "node:tls";
import { IOStream, setLogHandler, SSLIOStream, type LogRecord } from "../../src/index";
import { wrapTlsSocket } from "../../src/stream/tls-socket";
import { CERT, CLIENT_SSL, SERVER_SSL } from "../stream-pair";

function captureLogs(): { records: LogRecord[]; restore: () => void } {
  const records: LogRecord[] = [];
  const previous = setLogHandler((record) => records.push(record));
  return { records, restore: () => setLogHandler(previous) };
}

async function plainPair(): Promise<[IOStream, IOStream, net.Server]> {
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const accepted = new Promise<net.Socket>((resolve) => listener.once("connection", resolve));
  const client = net.connect((listener.address() as net.AddressInfo).port, "127.0.0.1");
  await new Promise((resolve) => client.once("connect", resolve));
  return [new IOStream(await accepted), new IOStream(client), listener];
}

describe("IOStream.startTls", () => {
  let server: IOStream;
  let client: IOStream;
  let listener: net.Server;
  beforeEach(async () => {
    [server, client, listener] = await plainPair();
  });
  afterEach(() => {
    server.close();
    client.close();
    listener.close();
  });

  async function clientSendLine(line: string): Promise<void> {
    void client.write(line);
    expect((await server.readUntil("\r\n")).toString()).toBe(line);
  }
  async function serverSendLine(line: string): Promise<void> {
    void server.write(line);
    expect((await client.readUntil("\r\n")).toString()).toBe(line);
  }

  it("upgrades after an SMTP-like exchange (RFC 3207 section 5)", async () => {
    await serverSendLine("220 mail.example.com ready\r\n");
    await clientSendLine("EHLO mail.example.com\r\n");
    await serverSendLine("250-mail.example.com welcome\r\n");
    await serverSendLine("250 STARTTLS\r\n");
    await clientSendLine("STARTTLS\r\n");
    await serverSendLine("220 Go ahead\r\n");
    const clientFuture = client.startTls(false, { rejectUnauthorized: false });
    const serverFuture = server.startTls(true, SERVER_SSL);
    const [tlsClient, tlsServer] = await Promise.all([clientFuture, serverFuture]);
    expect(client.closed()).toBe(true);
    client = tlsClient;
    server = tlsServer;
    expect(client).toBeInstanceOf(SSLIOStream);
    expect(server).toBeInstanceOf(SSLIOStream);
    expect((client.socket as tls.TLSSocket).encrypted).toBe(true);
    await clientSendLine("EHLO mail.example.com\r\n");
    await serverSendLine("250 mail.example.com welcome\r\n");
  });

  it("verifies the certificate by default: handshake failure rejects with the TLS error", async () => {
    const logs = captureLogs();
    try {
      const serverFuture = server.startTls(true, SERVER_SSL);
      const clientFuture = client.startTls(false, {}, "localhost");
      await expect(clientFuture).rejects.toMatchObject({ code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
      await expect(serverFuture).rejects.toBeDefined();
    } finally {
      logs.restore();
    }
    expect(logs.records.some((r) => /^SSL Error/.test(r.message))).toBe(true);
  });

  it("checks the server hostname", async () => {
    const logs = captureLogs();
    try {
      const serverFuture = server.startTls(true, SERVER_SSL);
      const clientFuture = client.startTls(false, CLIENT_SSL, "example.com");
      await expect(clientFuture).rejects.toMatchObject({ code: "ERR_TLS_CERT_ALTNAME_INVALID" });
      await expect(serverFuture).rejects.toBeDefined();
    } finally {
      logs.restore();
    }
    expect(logs.records.some((r) => /^SSL Error/.test(r.message))).toBe(true);
  });

  it("hands bytes already buffered (the ClientHello) to the TLS layer", async () => {
    await client.write("STARTTLS\r\n");
    const clientFuture = client.startTls(false, CLIENT_SSL, "localhost");
    expect((await server.readUntil("\r\n")).toString()).toBe("STARTTLS\r\n");
    await new Promise((r) => setTimeout(r, 50)); // the ClientHello is now in server's buffer
    const [tlsClient, tlsServer] = await Promise.all([clientFuture, server.startTls(true, SERVER_SSL)]);
    client = tlsClient;
    server = tlsServer;
    await clientSendLine("after\r\n");
  });

  it("refuses while a read is pending", async () => {
    void client.readBytes(1).catch(() => {});
    await expect(client.startTls(false, CLIENT_SSL)).rejects.toThrow(/not idle/);
  });

  it("keeps the close callback", async () => {
    let closed = false;
    server.setCloseCallback(() => {
      closed = true;
    });
    const [tlsClient, tlsServer] = await Promise.all([
      client.startTls(false, CLIENT_SSL, "localhost"),
      server.startTls(true, SERVER_SSL),
    ]);
    client = tlsClient;
    server = tlsServer;
    client.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(true);
  });
});

describe("SSLIOStream.waitForHandshake", () => {
  it("resolves on both sides, and at once when already connected", async () => {
    const tlsServer = tls.createServer(SERVER_SSL);
    const secured = new Promise<tls.TLSSocket>((resolve) => tlsServer.once("secureConnection", resolve));
    await new Promise<void>((resolve) => tlsServer.listen(0, "127.0.0.1", resolve));
    const port = (tlsServer.address() as net.AddressInfo).port;
    const rawClient = net.connect(port, "127.0.0.1");
    const client = new SSLIOStream(wrapTlsSocket(rawClient, false, { ca: CERT }, "localhost"));
    await client.waitForHandshake();
    // A TLSSocket from a tls.Server's secureConnection is already connected.
    const server = new SSLIOStream(await secured, { serverSide: true });
    await server.waitForHandshake();
    await client.write("ping\r\n");
    expect((await server.readUntil("\r\n")).toString()).toBe("ping\r\n");
    client.close();
    server.close();
    tlsServer.close();
  });

  it("rejects SSLIOStream over a plain socket", () => {
    expect(() => new SSLIOStream(new net.Socket() as tls.TLSSocket)).toThrow(/needs a tls.TLSSocket/);
  });
});
