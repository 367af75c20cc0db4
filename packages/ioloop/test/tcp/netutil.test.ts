// Port of tornado/test/netutil_test.py (is_valid_ip, resolvers, bind_sockets) on loopback.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import {
  addAcceptHandler,
  bindSockets,
  DefaultResolver,
  isValidIp,
  OverrideResolver,
  NotSupportedError,
  Resolver,
  supportsReusePort,
  type ResolvedAddress,
} from "../../src/index";

const hasSs = existsSync("/usr/bin/ss") || existsSync("/bin/ss");
const somaxconn = (): number => Number(readFileSync("/proc/sys/net/core/somaxconn", "utf8"));
const hasIPv6 = Object.values(os.networkInterfaces())
  .flat()
  .some((info) => info?.address === "::1");

/** Waits, turn by turn, until `condition` holds (the test's timeout bounds it). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

function closeAll(servers: net.Server[]): Promise<void[]> {
  return Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
}

function connectAndWait(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host, () => {
      socket.destroy();
      resolve();
    });
    socket.once("error", reject);
  });
}

describe("isValidIp", () => {
  it.each(["127.0.0.1", "4.4.4.4", "::1", "2620:0:1cfe:face:b00c::3"])("accepts %s", (ip) => {
    expect(isValidIp(ip)).toBe(true);
  });
  it.each(["www.google.com", "localhost", "4.4.4.4<", " 127.0.0.1", "", " ", "\n", "\x00", "a".repeat(100)])(
    "rejects %j",
    (ip) => {
      expect(isValidIp(ip)).toBe(false);
    },
  );
  it("rejects non-strings", () => {
    expect(isValidIp(undefined as unknown as string)).toBe(false);
  });
});

describe("DefaultResolver", () => {
  it("resolves localhost to 127.0.0.1", async () => {
    const result = await new DefaultResolver().resolve("localhost", 80, 0);
    expect(result).toContainEqual({ family: 4, address: "127.0.0.1", port: 80 });
  });
  it("returns an IP literal as is, and checks its family", async () => {
    const resolver = new DefaultResolver();
    expect(await resolver.resolve("::1", 8080)).toEqual([{ family: 6, address: "::1", port: 8080 }]);
    await expect(resolver.resolve("::1", 8080, 4)).rejects.toThrow(/not an IPv4 address/);
  });
  it("validates its arguments", async () => {
    const resolver = new DefaultResolver();
    await expect(resolver.resolve("", 80)).rejects.toThrow(/host must be a non-empty string/);
    await expect(resolver.resolve("localhost", 70000)).rejects.toThrow(/port must be an integer from 0 to 65535, got 70000/);
    await expect(resolver.resolve("localhost", 80, 5 as 4)).rejects.toThrow(/family must be 0, 4 or 6, got 5/);
  });
});

describe("OverrideResolver", () => {
  const mapping = {
    "google.com:80": ["1.2.3.4", 80] as [string, number],
    "google.com:80:4": ["1.2.3.4", 80] as [string, number],
    "google.com:80:6": ["2a02:6b8:7c:40c:c51e:495f:e23a:3", 80] as [string, number],
    "example.com": "127.0.0.1",
  };
  const resolver = new OverrideResolver(new DefaultResolver(), mapping);

  it("resolves localhost through the wrapped resolver", async () => {
    expect(await resolver.resolve("localhost", 80)).toContainEqual({ family: 4, address: "127.0.0.1", port: 80 });
  });
  it("maps host, port and family (resolve_multiaddr)", async () => {
    expect(await resolver.resolve("google.com", 80, 4)).toContainEqual({ family: 4, address: "1.2.3.4", port: 80 });
    expect(await resolver.resolve("google.com", 80, 6)).toContainEqual({
      family: 6,
      address: "2a02:6b8:7c:40c:c51e:495f:e23a:3",
      port: 80,
    });
    expect(await resolver.resolve("google.com", 80)).toEqual([{ family: 4, address: "1.2.3.4", port: 80 }]);
  });
  it("maps a host alone, keeping the port", async () => {
    expect(await resolver.resolve("example.com", 443)).toEqual([{ family: 4, address: "127.0.0.1", port: 443 }]);
  });
  it("takes the mapping alone, or a Map, and a custom Resolver", async () => {
    class TableResolver extends Resolver {
      async resolve(host: string, port: number): Promise<ResolvedAddress[]> {
        return [{ family: 6, address: `${host}-resolved`, port }];
      }
    }
    const direct = new OverrideResolver({ a: "127.0.0.1" });
    expect(await direct.resolve("a", 1)).toEqual([{ family: 4, address: "127.0.0.1", port: 1 }]);
    const custom = new OverrideResolver(new TableResolver(), new Map([["b", "c"]]));
    expect(await custom.resolve("b", 2)).toEqual([{ family: 6, address: "c-resolved", port: 2 }]);
    expect(() => new OverrideResolver(new TableResolver())).toThrow(/mapping must be an object or a Map/);
  });
});

describe("bindSockets", () => {
  it("shares one ephemeral port across the addresses of a name", async () => {
    const servers = await bindSockets(0, "localhost");
    try {
      expect(servers.length).toBeGreaterThan(0);
      const port = (servers[0]?.address() as net.AddressInfo).port;
      expect(servers.every((s) => (s.address() as net.AddressInfo).port === port)).toBe(true);
    } finally {
      await closeAll(servers);
    }
  });

  it("binds IPv4 only with family 4", async () => {
    const servers = await bindSockets(0, undefined, { family: 4 });
    try {
      expect(servers.map((s) => (s.address() as net.AddressInfo).address)).toEqual(["0.0.0.0"]);
    } finally {
      await closeAll(servers);
    }
  });

  (hasIPv6 ? it : it.skip)("binds dual-stack with no address (needs IPv6 on loopback)", async () => {
    const servers = await bindSockets(0);
    const accepted: string[] = [];
    const removers = servers.map((s) =>
      addAcceptHandler(s, (socket, address) => {
        accepted.push(typeof address === "string" ? address : address[0]);
        socket.destroy();
      }),
    );
    try {
      const port = (servers[0]?.address() as net.AddressInfo).port;
      await connectAndWait(port, "127.0.0.1");
      await connectAndWait(port, "::1");
      await until(() => accepted.length === 2);
      expect(accepted).toHaveLength(2);
      expect(accepted).toContain("::1");
    } finally {
      removers.forEach((remove) => remove());
      await closeAll(servers);
    }
  });

  it("fails with AddressInUseError (EADDRINUSE) on a taken port", async () => {
    const [server] = await bindSockets(0, "127.0.0.1");
    try {
      const port = (server?.address() as net.AddressInfo).port;
      await expect(bindSockets(port, "127.0.0.1")).rejects.toMatchObject({
        code: "TORNADO_ERR_NETUTIL_ADDRESS_IN_USE",
        port,
        cause: { code: "EADDRINUSE" },
      });
    } finally {
      await closeAll([server as net.Server]);
    }
  });

  it("validates its arguments", async () => {
    await expect(bindSockets(-1)).rejects.toThrow(/port must be an integer from 0 to 65535, got -1/);
    await expect(bindSockets(0, "127.0.0.1", { family: 6 })).rejects.toThrow(/not an IPv6 address/);
    await expect(bindSockets(0, "127.0.0.1", { backlog: -5 })).rejects.toThrow(/backlog/);
  });

  // ss (iproute2) prints a listening socket's backlog as its Send-Q.
  (hasSs ? it : it.skip)("listens with Node's backlog, 511, unless told otherwise (needs ss from iproute2)", async () => {
    const listenBacklog = (port: number): number => {
      const line = execFileSync("ss", ["-ltnH", `sport = :${port}`], { encoding: "utf8" }).trim();
      return Number(line.split(/\s+/)[2]);
    };
    const servers = await bindSockets(0, "127.0.0.1");
    const custom = await bindSockets(0, "127.0.0.1", { backlog: 64 });
    try {
      expect(listenBacklog((servers[0]!.address() as net.AddressInfo).port)).toBe(Math.min(511, somaxconn()));
      expect(listenBacklog((custom[0]!.address() as net.AddressInfo).port)).toBe(64);
    } finally {
      await closeAll([...servers, ...custom]);
    }
  });

  (supportsReusePort() ? it : it.skip)("binds one port twice with reusePort (Node 22.12+)", async () => {
    const first = await bindSockets(0, "127.0.0.1", { reusePort: true });
    const port = (first[0]?.address() as net.AddressInfo).port;
    const second = await bindSockets(port, "127.0.0.1", { reusePort: true });
    expect((second[0]?.address() as net.AddressInfo).port).toBe(port);
    await closeAll([...first, ...second]);
  });

  (supportsReusePort() ? it.skip : it)("refuses reusePort with NotSupportedError on this Node, binding nothing", async () => {
    const error = await bindSockets(0, "127.0.0.1", { reusePort: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotSupportedError);
    expect(error).toMatchObject({
      code: "TORNADO_ERR_NOT_SUPPORTED",
      message: `reusePort needs Node 22.12 or later (SO_REUSEPORT), this is ${process.versions.node}`,
    });
  });

  it("supportsReusePort reads the version and the platform", () => {
    expect(supportsReusePort("20.18.0", "linux")).toBe(false);
    expect(supportsReusePort("22.11.0", "linux")).toBe(false);
    expect(supportsReusePort("22.12.0", "linux")).toBe(true);
    expect(supportsReusePort("23.1.0", "linux")).toBe(true);
    expect(supportsReusePort("24.0.0", "freebsd")).toBe(true);
    expect(supportsReusePort("24.0.0", "darwin")).toBe(false);
    expect(supportsReusePort("24.0.0", "win32")).toBe(false);
  });
});

describe("addAcceptHandler", () => {
  it("hands over the connections a bound server accepted before it had a handler", async () => {
    const [server] = await bindSockets(0, "127.0.0.1");
    const port = ((server as net.Server).address() as net.AddressInfo).port;
    // Node accepts at once: wait until the server has the connection, still without a handler.
    const accepted = new Promise((resolve) => (server as net.Server).once("connection", resolve));
    const early = net.connect(port, "127.0.0.1");
    const greeting = new Promise<string>((resolve) => early.once("data", (data) => resolve(data.toString())));
    await accepted;
    const seen: net.Socket[] = [];
    const remove = addAcceptHandler(server as net.Server, (socket) => {
      seen.push(socket);
      socket.end("hello");
    });
    expect(await greeting).toBe("hello");
    expect(seen).toHaveLength(1);
    remove();
    early.destroy();
    await closeAll([server as net.Server]);
  });

  it("calls back with the socket and [host, port], and stops when removed", async () => {
    const [server] = await bindSockets(0, "127.0.0.1");
    const port = ((server as net.Server).address() as net.AddressInfo).port;
    const seen: Array<[string, number] | string> = [];
    const remove = addAcceptHandler(server as net.Server, (socket, address) => {
      seen.push(address);
      socket.destroy();
    });
    await connectAndWait(port, "127.0.0.1");
    await until(() => seen.length === 1);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.[0]).toBe("127.0.0.1");
    remove();
    expect((server as net.Server).listenerCount("connection")).toBe(0);
    await closeAll([server as net.Server]);
    expect(() => addAcceptHandler({} as net.Server, () => {})).toThrow(/server must be a net.Server/);
  });
});
