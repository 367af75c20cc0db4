// Port of tornado/test/tcpserver_test.py on loopback, plus TLS, stop() and limits.
import { spawn } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";
import * as tls from "node:tls";
import {
  IOStream,
  LogLevel,
  setLogHandler,
  SSLIOStream,
  TCPClient,
  TCPServer,
  type LogRecord,
  type PeerAddress,
} from "../../src/index";
import { readFileSync } from "node:fs";
import { CERT, CLIENT_SSL, FIXTURES, KEY, SERVER_SSL, sleep } from "../stream-pair";

const OTHER_CERT = readFileSync(path.join(FIXTURES, "other.crt"));
const OTHER_KEY = readFileSync(path.join(FIXTURES, "other.key"));

function captureLogs(): { records: LogRecord[]; restore: () => void } {
  const records: LogRecord[] = [];
  const previous = setLogHandler((record) => records.push(record));
  return { records, restore: () => setLogHandler(previous) };
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const servers: TCPServer[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.stop({ closeStreams: true });
});

async function start<T extends TCPServer>(server: T): Promise<[T, number]> {
  servers.push(server);
  await server.listen(0, "127.0.0.1");
  return [server, server.boundPorts()[0] as number];
}

describe("TCPServer", () => {
  it("logs an error from an async handleStream (handle_stream_coroutine_logging)", async () => {
    class TestServer extends TCPServer {
      override async handleStream(stream: IOStream): Promise<void> {
        await stream.readBytes(5);
        stream.close();
        throw new Error("division by zero");
      }
    }
    const [, port] = await start(new TestServer());
    const logs = captureLogs();
    try {
      const client = await new TCPClient().connect("127.0.0.1", port);
      await client.write("hello");
      await client.readUntilClose();
      await waitFor(() => logs.records.length > 0, "the log record");
    } finally {
      logs.restore();
    }
    expect(logs.records[0]).toMatchObject({ name: "tornado.application", level: LogLevel.ERROR });
    expect(logs.records[0]?.message).toMatch(/^Exception in callback/);
    expect((logs.records[0]?.error as Error).message).toBe("division by zero");
  });

  it("logs a synchronous throw as Error in connection callback", async () => {
    class TestServer extends TCPServer {
      override handleStream(stream: IOStream): void {
        stream.close();
        throw new Error("sync boom");
      }
    }
    const [, port] = await start(new TestServer());
    const logs = captureLogs();
    try {
      const client = await new TCPClient().connect("127.0.0.1", port);
      await client.readUntilClose();
      await waitFor(() => logs.records.length > 0, "the log record");
    } finally {
      logs.restore();
    }
    expect(logs.records[0]?.message).toBe("Error in connection callback");
  });

  it("accepts an async handleStream (handle_stream_native_coroutine)", async () => {
    let peer: PeerAddress | undefined;
    class TestServer extends TCPServer {
      override async handleStream(stream: IOStream, address: PeerAddress): Promise<void> {
        peer = address;
        await stream.write("data");
        stream.close();
      }
    }
    const [, port] = await start(new TestServer());
    const client = await new TCPClient().connect("127.0.0.1", port);
    const localPort = client.socket.localPort;
    expect((await client.readUntilClose()).toString()).toBe("data");
    expect(Array.isArray(peer) && peer[0]).toBe("127.0.0.1");
    expect(Array.isArray(peer) && peer[1]).toBe(localPort);
  });

  it("stops twice without error", async () => {
    const [server] = await start(new TCPServer());
    server.stop();
    server.stop();
    expect(server.boundPorts()).toEqual([]);
  });

  it("stop() in handleStream refuses later connections and leaves open ones", async () => {
    const streams: IOStream[] = [];
    class TestServer extends TCPServer {
      override handleStream(stream: IOStream): void {
        streams.push(stream);
        this.stop();
      }
    }
    const [server, port] = await start(new TestServer());
    const first = await new TCPClient().connect("127.0.0.1", port);
    await waitFor(() => streams.length === 1, "the first connection");
    await expect(new TCPClient().connect("127.0.0.1", port)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    await first.write("still open");
    expect((await streams[0]!.readBytes(10)).toString()).toBe("still open");
    expect(server.liveStreams().size).toBe(1);
    server.stop({ closeStreams: true });
    await expect(first.readUntilClose()).resolves.toBeInstanceOf(Buffer);
    expect(streams[0]!.closed()).toBe(true);
  });

  it("stops tracking a stream once it is detached, at once or later (an HTTP upgrade)", async () => {
    const streams: IOStream[] = [];
    class TestServer extends TCPServer {
      override handleStream(stream: IOStream): void {
        streams.push(stream);
      }
    }
    const [server, port] = await start(new TestServer());
    const client = await new TCPClient().connect("127.0.0.1", port);
    await waitFor(() => streams.length === 1, "the connection");
    expect(server.liveStreams().has(streams[0]!)).toBe(true);
    const { socket } = streams[0]!.detach();
    // The socket lives on with its new owner; the spent stream is no longer held.
    expect(server.liveStreams().size).toBe(0);
    expect(socket.destroyed).toBe(false);
    socket.destroy();
    client.close();
  });

  it("passes maxBufferSize and readChunkSize to the streams", async () => {
    let seen: IOStream | undefined;
    class TestServer extends TCPServer {
      override handleStream(stream: IOStream): void {
        seen = stream;
      }
    }
    const [, port] = await start(new TestServer({ maxBufferSize: 1000, readChunkSize: 100 }));
    const client = await new TCPClient().connect("127.0.0.1", port);
    await waitFor(() => seen !== undefined, "the connection");
    expect(seen!.maxBufferSize).toBe(1000);
    expect(seen!.readChunkSize).toBe(100);
    client.close();
  });

  it("validates options", () => {
    expect(() => new TCPServer({ maxBufferSize: 0 })).toThrow(/maxBufferSize must be a positive integer of bytes, got 0/);
    expect(() => new TCPServer({ sslOptions: {} })).toThrow(/sslOptions needs cert and key/);
    expect(() => new TCPServer().handleStream({} as IOStream, ["x", 1])).toThrow(/must be overridden/);
  });

  it("listens with a default (dual-stack) address and can listen twice", async () => {
    const server = new TCPServer();
    servers.push(server);
    await server.listen(0);
    await server.listen(0, "127.0.0.1");
    expect(server.boundPorts()).toHaveLength(2);
  });

  describe("with sslOptions", () => {
    it("serves TLS: handleStream gets an SSLIOStream", async () => {
      class EchoServer extends TCPServer {
        override async handleStream(stream: IOStream): Promise<void> {
          expect(stream).toBeInstanceOf(SSLIOStream);
          await (stream as SSLIOStream).waitForHandshake();
          await stream.write(await stream.readUntil("\n"));
        }
      }
      const [, port] = await start(new EchoServer({ sslOptions: SERVER_SSL }));
      const client = await new TCPClient().connect("localhost", port, { sslOptions: CLIENT_SSL });
      expect(client).toBeInstanceOf(SSLIOStream);
      await client.write("secure hello\n");
      expect((await client.readUntil("\n")).toString()).toBe("secure hello\n");
      client.close();
    });

    it("logs a failed handshake as SSL Error, without a traceback", async () => {
      let handshake: Promise<void> | undefined;
      class TestServer extends TCPServer {
        override handleStream(stream: IOStream): void {
          handshake = (stream as SSLIOStream).waitForHandshake();
        }
      }
      const [, port] = await start(new TestServer({ sslOptions: SERVER_SSL }));
      const logs = captureLogs();
      try {
        const raw = net.connect(port, "127.0.0.1");
        await new Promise((resolve) => raw.once("connect", resolve));
        raw.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n"); // plain HTTP to a TLS port
        await waitFor(() => logs.records.length > 0, "the SSL Error record");
        raw.destroy();
      } finally {
        logs.restore();
      }
      const record = logs.records[0] as LogRecord;
      expect(record).toMatchObject({ name: "tornado.general", level: LogLevel.WARNING });
      expect(record.message).toMatch(/^SSL Error on 127\.0\.0\.1:\d+: /);
      expect(record.error).toBeUndefined();
      await expect(handshake).rejects.toBeDefined();
    });

    it("requestCert: a trusted client certificate is accepted, an untrusted one refused", async () => {
      const peers: Array<{ authorized: boolean; error: unknown }> = [];
      class CertServer extends TCPServer {
        override async handleStream(stream: IOStream): Promise<void> {
          try {
            await (stream as SSLIOStream).waitForHandshake();
            peers.push({ authorized: (stream.socket as tls.TLSSocket).authorized, error: null });
            await stream.write("welcome\n");
          } catch (error) {
            peers.push({ authorized: false, error });
          }
        }
      }
      const [, port] = await start(new CertServer({ sslOptions: { ...SERVER_SSL, ca: CERT, requestCert: true } }));
      const trusted = await new TCPClient().connect("localhost", port, {
        sslOptions: { ca: CERT, cert: CERT, key: KEY },
      });
      expect((await trusted.readUntil("\n")).toString()).toBe("welcome\n");
      trusted.close();
      const logs = captureLogs();
      try {
        const untrusted = await new TCPClient()
          .connect("localhost", port, { sslOptions: { ca: CERT, cert: OTHER_CERT, key: OTHER_KEY } })
          .catch((error: unknown) => error);
        // TLS 1.3: the client may finish its handshake before the server refuses it.
        if (untrusted instanceof IOStream) await untrusted.readUntilClose().catch(() => {});
        await waitFor(() => peers.length === 2, "the refused handshake");
      } finally {
        logs.restore();
      }
      expect(peers[0]).toEqual({ authorized: true, error: null });
      expect(peers[1]?.authorized).toBe(false);
      expect((peers[1]?.error as { code?: string }).code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
      expect(logs.records.some((r) => /^SSL Error on 127\.0\.0\.1/.test(r.message))).toBe(true);
    });

    it("a client that does not trust the certificate fails with the TLS error", async () => {
      class TestServer extends TCPServer {
        override handleStream(): void {}
      }
      const [, port] = await start(new TestServer({ sslOptions: SERVER_SSL }));
      const logs = captureLogs();
      try {
        const error = await new TCPClient().connect("localhost", port, { sslOptions: {} }).catch((e: unknown) => e);
        expect((error as { code?: string }).code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
      } finally {
        logs.restore();
      }
      expect(logs.records.some((r) => /SSL Error/.test(r.message))).toBe(true);
      void tls;
    });
  });
});

// Tornado's TestMultiprocess: real worker processes from node:cluster sharing one port.
describe("TCPServer.start(numProcesses) with forked workers", () => {
  const fixture = path.join(__dirname, "..", "fixtures", "tcp-server-workers.js");

  function run(mode: string): { child: ReturnType<typeof spawn>; lines: string[]; exited: Promise<number | null> } {
    const child = spawn(process.execPath, [fixture, mode], { stdio: ["ignore", "pipe", "pipe"], detached: true });
    const lines: string[] = [];
    let buffered = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split("\n");
      buffered = parts.pop() ?? "";
      lines.push(...parts);
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.once("exit", (code) => {
        if (code !== 0 && stderr) process.stderr.write(stderr);
        resolve(code);
      }),
    );
    return { child, lines, exited };
  }

  it("bind() + start(3): every worker prints its task id and exits, the primary exits 0", async () => {
    const { lines, exited } = run("exit");
    expect(await exited).toBe(0);
    expect(lines.map((l) => l.trim()).filter(Boolean).sort()).toEqual(["0", "1", "2"]);
  });

  it("bind() + start(3): workers share the port and all serve connections", async () => {
    const { child, lines, exited } = run("serve");
    try {
      await waitFor(() => lines.filter((l) => l.startsWith("listening")).length === 3, "3 listening workers");
      const ports = new Set(lines.filter((l) => l.startsWith("listening")).map((l) => l.split(" ")[2]));
      expect(ports.size).toBe(1);
      const port = Number([...ports][0]);
      const seen = new Set<string>();
      for (let i = 0; i < 30 && seen.size < 3; i++) {
        const stream = await new TCPClient().connect("127.0.0.1", port);
        seen.add((await stream.readUntilClose()).toString());
      }
      expect([...seen].map((s) => s.split(" ")[0]).sort()).toEqual(["0", "1", "2"]);
      expect(new Set([...seen].map((s) => s.split(" ")[1])).size).toBe(3);
    } finally {
      process.kill(-(child.pid as number), "SIGTERM");
      await exited;
    }
  });
});
