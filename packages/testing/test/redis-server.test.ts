// startRedisServer against the real program: it answers on its port with persistence off,
// stop() takes it down as a crash does, restart() brings it back on the same port.
import * as net from "node:net";
import { describeWithRedisServer, hasRedisServer, RedisServerError, startRedisServer, type RedisServer } from "@tornado/testing";

/** Sends one command in RESP and resolves with the raw reply once a whole one arrived. */
function command(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let reply = "";
    socket.once("error", reject);
    socket.on("data", (chunk: Buffer) => {
      reply += chunk.toString();
      if (complete(reply)) {
        socket.destroy();
        resolve(reply);
      }
    });
    socket.write(`*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join("")}`);
  });
}

/** Whether `reply` holds one whole simple, error, bulk or flat array reply (all these tests read). */
function complete(reply: string): boolean {
  const lines = reply.split("\r\n");
  if (lines.length < 2) return false;
  if (reply[0] !== "*") return reply[0] !== "$" || lines.length >= 3 || reply.startsWith("$-1");
  return lines.length >= 2 + 2 * Number(lines[0]!.slice(1));
}

describeWithRedisServer("startRedisServer", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it("answers on a loopback port named by its url, with persistence off", async () => {
    expect(redis.running).toBe(true);
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await command(redis.port, "PING")).toBe("+PONG\r\n");
    expect(await command(redis.port, "CONFIG", "GET", "save")).toBe("*2\r\n$4\r\nsave\r\n$0\r\n\r\n");
    expect(await command(redis.port, "CONFIG", "GET", "appendonly")).toBe("*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
    expect(await command(redis.port, "CONFIG", "GET", "bind")).toMatch(/\$9\r\n127\.0\.0\.1\r\n$/);
  });

  it("refuses to start twice on its port", async () => {
    await expect(redis.restart()).rejects.toThrow(RedisServerError);
    await expect(redis.restart()).rejects.toThrow(`redis-server is already running on port ${redis.port}`);
  });

  it("stops as a crash does (an open connection ends, the port refuses) and restarts on the same port, empty", async () => {
    expect(await command(redis.port, "SET", "key", "value")).toBe("+OK\r\n");
    const client = net.connect(redis.port, "127.0.0.1");
    await new Promise((resolve) => client.once("connect", resolve));
    const closed = new Promise((resolve) => client.once("close", resolve));
    client.on("error", () => undefined); // ECONNRESET is what a crash looks like
    await redis.stop();
    expect(redis.running).toBe(false);
    await closed;
    await expect(command(redis.port, "PING")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    await redis.stop(); // twice is harmless

    await redis.restart();
    expect(redis.running).toBe(true);
    expect(await command(redis.port, "PING")).toBe("+PONG\r\n");
    expect(await command(redis.port, "GET", "key")).toBe("$-1\r\n"); // nothing was saved
  });

  it("gives each server its own port", async () => {
    const other = await startRedisServer();
    try {
      expect(other.port).not.toBe(redis.port);
      expect(await command(other.port, "PING")).toBe("+PONG\r\n");
    } finally {
      await other.stop();
    }
  });
});

// Where redis-server is installed this case cannot happen: it reports as skipped there.
const withoutRedis = hasRedisServer ? test.skip : test;
withoutRedis(`without redis-server, startRedisServer rejects with RedisServerError${hasRedisServer ? " (skipped: redis-server is installed)" : ""}`, async () => {
  await expect(startRedisServer()).rejects.toThrow(new RedisServerError("redis-server is not installed (apt-get install redis-server)"));
});
