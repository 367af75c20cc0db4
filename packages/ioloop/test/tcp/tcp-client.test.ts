// Port of tornado/test/tcpclient_test.py: connections over loopback (IPv4, IPv6 where the host
// has it, names through the resolver), source address and port, timeouts, and the Happy
// Eyeballs Connector driven by hand (ConnectorTest).
import * as net from "node:net";
import * as os from "node:os";
import {
  type IOStream,
  OverrideResolver,
  Resolver,
  setLogHandler,
  TCPClient,
  TCPServer,
  TimeoutError,
  type ResolvedAddress,
} from "../../src/index";
import { Connector, INITIAL_CONNECT_TIMEOUT } from "../../src/tcp/tcp-client";

const hasIPv6 = Object.values(os.networkInterfaces())
  .flat()
  .some((info) => info?.address === "::1");
const maybeIPv6 = hasIPv6 ? it : it.skip;

class QueueServer extends TCPServer {
  readonly received: IOStream[] = [];
  #waiters: Array<(stream: IOStream) => void> = [];
  override handleStream(stream: IOStream): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(stream);
    else this.received.push(stream);
  }
  next(): Promise<IOStream> {
    const ready = this.received.shift();
    return ready ? Promise.resolve(ready) : new Promise((resolve) => this.#waiters.push(resolve));
  }
}

describe("TCPClient", () => {
  let server: QueueServer | null = null;
  const client = new TCPClient();
  afterEach(() => {
    server?.stop({ closeStreams: true });
    server = null;
  });
  afterAll(() => client.close());

  async function startServer(address: string): Promise<number> {
    server = new QueueServer();
    await server.listen(0, address);
    return server.boundPorts()[0] as number;
  }

  async function doTestConnect(
    serverAddress: string,
    host: string,
    options: { sourceIp?: string; sourcePort?: number; client?: TCPClient } = {},
  ): Promise<IOStream> {
    const port = await startServer(serverAddress);
    const stream = await (options.client ?? client).connect(host, port, options);
    try {
      const serverStream = await server!.next();
      await stream.write("hello");
      expect((await serverStream.readBytes(5)).toString()).toBe("hello");
      return stream;
    } finally {
      stream.close();
    }
  }

  it("connects IPv4 to IPv4", async () => {
    await doTestConnect("127.0.0.1", "127.0.0.1");
  });
  it("connects to a name (localhost)", async () => {
    await doTestConnect("127.0.0.1", "localhost");
  });
  maybeIPv6("connects IPv6 to IPv6 (::1)", async () => {
    await doTestConnect("::1", "::1");
  });
  maybeIPv6("connects to a dual-stack server over both families", async () => {
    await doTestConnect("", "127.0.0.1");
    server?.stop({ closeStreams: true });
    await doTestConnect("", "::1");
  });
  maybeIPv6("falls back to IPv4 when the IPv6 address refuses (dual names)", async () => {
    const dual = new TCPClient(new OverrideResolver(new DualResolver(), {}));
    const stream = await doTestConnect("127.0.0.1", "dual.test", { client: dual });
    expect(stream.socket.remoteFamily ?? "IPv4").toBe("IPv4");
  });

  it("rejects with the connection error on a refusing port", async () => {
    const refusing = net.createServer();
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    const port = (refusing.address() as net.AddressInfo).port;
    await new Promise((resolve) => refusing.close(resolve));
    const records: unknown[] = [];
    const previous = setLogHandler((record) => records.push(record));
    try {
      await expect(client.connect("127.0.0.1", port)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    } finally {
      setLogHandler(previous);
    }
    expect(records).toEqual([]); // reported to the caller, not logged
  });

  it("connects from a source IP", async () => {
    server = new QueueServer();
    await server.listen(0, "127.0.0.1");
    const port = server.boundPorts()[0] as number;
    const stream = await client.connect("127.0.0.1", port, { sourceIp: "127.0.0.1" });
    expect(stream.socket.localAddress).toBe("127.0.0.1");
    stream.close();
  });

  it("fails with a source IP the host does not have", async () => {
    await expect(doTestConnect("127.0.0.1", "127.0.0.1", { sourceIp: "8.8.8.8" })).rejects.toMatchObject({
      code: "EADDRNOTAVAIL",
    });
  });

  it("connects from a source port (on the loopback of the family)", async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const freePort = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    server = new QueueServer();
    await server.listen(0, "127.0.0.1");
    const stream = await client.connect("127.0.0.1", server.boundPorts()[0] as number, { sourcePort: freePort });
    expect(stream.socket.localPort).toBe(freePort);
    stream.close();
  });

  it("rejects with TimeoutError when resolving takes too long", async () => {
    class NeverResolver extends Resolver {
      resolve(): Promise<ResolvedAddress[]> {
        return new Promise(() => {});
      }
    }
    await expect(new TCPClient(new NeverResolver()).connect("1.2.3.4", 12345, { timeout: 0.05 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
  });

  it("validates its arguments", async () => {
    await expect(client.connect("", 80)).rejects.toThrow(/host must be a non-empty string/);
    await expect(client.connect("localhost", 65536)).rejects.toThrow(/port must be an integer from 0 to 65535, got 65536/);
    await expect(client.connect("localhost", 80, { timeout: -1 })).rejects.toThrow(/timeout must be a non-negative number of seconds/);
    expect(() => new TCPClient({} as Resolver)).toThrow(/resolver must be a Resolver/);
  });
});

/** Resolves every name to ::1 first, then 127.0.0.1, like a dual-stack "localhost". */
class DualResolver extends Resolver {
  async resolve(_host: string, port: number): Promise<ResolvedAddress[]> {
    return [
      { family: 6, address: "::1", port },
      { family: 4, address: "127.0.0.1", port },
    ];
  }
}

describe("Connector.split", () => {
  it("one family", () => {
    const [primary, secondary] = Connector.split([
      { family: 1, address: "a" },
      { family: 1, address: "b" },
    ]);
    expect(primary.map((a) => a.address)).toEqual(["a", "b"]);
    expect(secondary).toEqual([]);
  });
  it("mixed", () => {
    const [primary, secondary] = Connector.split(
      ["a", "b", "c", "d"].map((address, i) => ({ family: i % 2 === 0 ? 1 : 2, address })),
    );
    expect(primary.map((a) => a.address)).toEqual(["a", "c"]);
    expect(secondary.map((a) => a.address)).toEqual(["b", "d"]);
  });
});

// ConnectorTest: fake streams whose connections the test resolves by hand.
describe("Connector (Happy Eyeballs)", () => {
  const AF1 = 1;
  const AF2 = 2;
  type Address = { family: number; address: string };
  class FakeStream {
    closed = false;
    close(): void {
      this.closed = true;
    }
  }
  let connects: Map<string, { resolve: (s: FakeStream) => void; reject: (e: Error) => void }>;
  let streams: Map<string, FakeStream>;
  const addrinfo: Address[] = [
    { family: AF1, address: "a" },
    { family: AF1, address: "b" },
    { family: AF2, address: "c" },
    { family: AF2, address: "d" },
  ];
  const key = (family: number, address: string): string => `${family}/${address}`;

  beforeEach(() => {
    connects = new Map();
    streams = new Map();
  });
  afterEach(() => {
    for (const stream of streams.values()) expect(stream.closed).toBe(false);
  });

  function createStream(address: Address): [FakeStream, Promise<FakeStream>] {
    const stream = new FakeStream();
    streams.set(address.address, stream);
    const promise = new Promise<FakeStream>((resolve, reject) => {
      connects.set(key(address.family, address.address), { resolve, reject });
    });
    return [stream, promise];
  }
  function assertPending(...keys: Array<[number, string]>): void {
    expect([...connects.keys()].sort()).toEqual(keys.map(([f, a]) => key(f, a)).sort());
  }
  async function resolveConnect(family: number, address: string, success: boolean): Promise<void> {
    const pending = connects.get(key(family, address))!;
    connects.delete(key(family, address));
    if (success) pending.resolve(streams.get(address)!);
    else {
      streams.delete(address);
      pending.reject(new Error("IOError"));
    }
    await new Promise((r) => setImmediate(r));
  }
  function popClosed(family: number, address: string): void {
    connects.delete(key(family, address));
    expect(streams.get(address)!.closed).toBe(true);
    streams.delete(address);
  }
  function startConnect(addresses: Address[]): [Connector<FakeStream, Address>, Promise<[Address, FakeStream]>] {
    const connector = new Connector<FakeStream, Address>(addresses, createStream);
    const promise = connector.start(3600, 3600);
    return [connector, promise];
  }
  type Outcome = { done: boolean; value?: [Address, FakeStream]; error?: unknown };
  function track(promise: Promise<[Address, FakeStream]>): Outcome {
    const outcome: Outcome = { done: false };
    promise.then(
      (value) => Object.assign(outcome, { done: true, value }),
      (error: unknown) => Object.assign(outcome, { done: true, error }),
    );
    return outcome;
  }
  const settle = (): Promise<void> => new Promise((r) => setImmediate(r));
  let connector: Connector<FakeStream, Address> | undefined;
  afterEach(() => connector?.onConnectTimeout()); // clears the timers (no-op once done)

  it("uses 0.3 s as the Happy Eyeballs delay", () => {
    expect(INITIAL_CONNECT_TIMEOUT).toBe(0.3);
  });

  it("immediate success", async () => {
    const [conn, promise] = startConnect(addrinfo);
    const outcome = track(promise);
    assertPending([AF1, "a"]);
    await resolveConnect(AF1, "a", true);
    expect(outcome.value).toEqual([addrinfo[0], streams.get("a")]);
    connector = conn;
  });

  it("immediate failure", async () => {
    const [, promise] = startConnect([{ family: AF1, address: "a" }]);
    const outcome = track(promise);
    assertPending([AF1, "a"]);
    await resolveConnect(AF1, "a", false);
    expect((outcome.error as Error).message).toBe("IOError");
  });

  it("one family, second try", async () => {
    const [conn, promise] = startConnect(addrinfo.slice(0, 2));
    connector = conn;
    const outcome = track(promise);
    assertPending([AF1, "a"]);
    await resolveConnect(AF1, "a", false);
    assertPending([AF1, "b"]);
    await resolveConnect(AF1, "b", true);
    expect(outcome.value?.[1]).toBe(streams.get("b"));
  });

  it("one family, second try fails", async () => {
    const [, promise] = startConnect(addrinfo.slice(0, 2));
    const outcome = track(promise);
    await resolveConnect(AF1, "a", false);
    assertPending([AF1, "b"]);
    await resolveConnect(AF1, "b", false);
    expect((outcome.error as Error).message).toBe("IOError");
  });

  it("one family, timeout while the first attempt is pending does nothing", async () => {
    const [conn, promise] = startConnect(addrinfo.slice(0, 2));
    connector = conn;
    const outcome = track(promise);
    conn.onTimeout();
    assertPending([AF1, "a"]);
    await resolveConnect(AF1, "a", false);
    assertPending([AF1, "b"]);
    await resolveConnect(AF1, "b", true);
    expect(outcome.value?.[1]).toBe(streams.get("b"));
  });

  it("two families, immediate failure starts the second family at once", async () => {
    const [conn, promise] = startConnect(addrinfo);
    connector = conn;
    const outcome = track(promise);
    await resolveConnect(AF1, "a", false);
    assertPending([AF1, "b"], [AF2, "c"]);
    await resolveConnect(AF1, "b", false);
    await resolveConnect(AF2, "c", true);
    expect(outcome.value?.[0].address).toBe("c");
  });

  it("two families, timeout", async () => {
    const [conn, promise] = startConnect(addrinfo);
    connector = conn;
    const outcome = track(promise);
    conn.onTimeout();
    assertPending([AF1, "a"], [AF2, "c"]);
    await resolveConnect(AF2, "c", true);
    expect(outcome.value?.[0].address).toBe("c");
    // resolving 'a' after the connection has completed doesn't start 'b'
    await resolveConnect(AF1, "a", false);
    assertPending();
  });

  it("success after timeout closes the late arrival", async () => {
    const [conn, promise] = startConnect(addrinfo);
    connector = conn;
    const outcome = track(promise);
    conn.onTimeout();
    assertPending([AF1, "a"], [AF2, "c"]);
    await resolveConnect(AF1, "a", true);
    expect(outcome.value?.[0].address).toBe("a");
    // 'c' was closed as soon as 'a' won.
    popClosed(AF2, "c");
  });

  it("all fail, across both queues", async () => {
    const [conn, promise] = startConnect(addrinfo);
    const outcome = track(promise);
    conn.onTimeout();
    assertPending([AF1, "a"], [AF2, "c"]);
    await resolveConnect(AF2, "c", false);
    assertPending([AF1, "a"], [AF2, "d"]);
    await resolveConnect(AF2, "d", false);
    assertPending([AF1, "a"]);
    await resolveConnect(AF1, "a", false);
    assertPending([AF1, "b"]);
    expect(outcome.done).toBe(false);
    await resolveConnect(AF1, "b", false);
    expect((outcome.error as Error).message).toBe("IOError");
  });

  it("one family: timeout after connect timeout starts nothing", async () => {
    const [conn, promise] = startConnect(addrinfo.slice(0, 2));
    const outcome = track(promise);
    conn.onConnectTimeout();
    popClosed(AF1, "a");
    conn.onTimeout();
    assertPending();
    expect(conn.streams.size).toBe(1);
    await settle();
    expect(outcome.error).toBeInstanceOf(TimeoutError);
  });

  it("one family: success before connect timeout keeps the winner open", async () => {
    const [conn, promise] = startConnect(addrinfo.slice(0, 2));
    const outcome = track(promise);
    await resolveConnect(AF1, "a", true);
    conn.onConnectTimeout();
    assertPending();
    expect(streams.get("a")!.closed).toBe(false);
    expect(conn.streams.size).toBe(0);
    expect(outcome.value?.[1]).toBe(streams.get("a"));
  });

  it("one family: second try, then connect timeout", async () => {
    const [conn, promise] = startConnect(addrinfo.slice(0, 2));
    const outcome = track(promise);
    await resolveConnect(AF1, "a", false);
    assertPending([AF1, "b"]);
    conn.onConnectTimeout();
    popClosed(AF1, "b");
    assertPending();
    expect(conn.streams.size).toBe(2);
    await settle();
    expect(outcome.error).toBeInstanceOf(TimeoutError);
  });

  it("one family: second try fails before connect timeout", async () => {
    const [conn, promise] = startConnect(addrinfo.slice(0, 2));
    const outcome = track(promise);
    await resolveConnect(AF1, "a", false);
    await resolveConnect(AF1, "b", false);
    conn.onConnectTimeout();
    assertPending();
    expect(conn.streams.size).toBe(2);
    expect((outcome.error as Error).message).toBe("IOError");
  });

  it("two families: timeout, then connect timeout closes both", async () => {
    const [conn, promise] = startConnect(addrinfo);
    const outcome = track(promise);
    conn.onTimeout();
    assertPending([AF1, "a"], [AF2, "c"]);
    conn.onConnectTimeout();
    popClosed(AF1, "a");
    popClosed(AF2, "c");
    assertPending();
    expect(conn.streams.size).toBe(2);
    await settle();
    expect(outcome.error).toBeInstanceOf(TimeoutError);
  });

  it("two families: success after timeout closes the other", async () => {
    const [conn, promise] = startConnect(addrinfo);
    const outcome = track(promise);
    conn.onTimeout();
    await resolveConnect(AF1, "a", true);
    popClosed(AF2, "c");
    assertPending();
    expect(conn.streams.size).toBe(1);
    expect(outcome.value?.[0].address).toBe("a");
  });

  it("two families: timeout after connect timeout starts nothing", async () => {
    const [conn, promise] = startConnect(addrinfo);
    const outcome = track(promise);
    conn.onConnectTimeout();
    popClosed(AF1, "a");
    assertPending();
    conn.onTimeout();
    assertPending();
    expect(conn.streams.size).toBe(1);
    await settle();
    expect(outcome.error).toBeInstanceOf(TimeoutError);
  });
});
