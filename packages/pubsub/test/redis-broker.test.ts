import { createClient } from "redis";
import { appLog, genLog } from "@tornado/ioloop";
import {
  BrokerClosedError,
  BrokerDisconnectedError,
  BrokerError,
  BrokerUnreachableError,
  RedisBroker,
  type BrokerMessage,
} from "@tornado/pubsub";
import { bindUnusedPort, describeWithRedisServer, ExpectLog, type RedisServer, startRedisServer } from "@tornado/testing";
import { ArgumentRangeError, TornadoError } from "@tornado/util";

/** Collects what a listener receives; `next(n)` resolves once n messages arrived in all. */
class Inbox {
  readonly messages: Array<{ payload: string | Buffer; message: BrokerMessage }> = [];
  #waiters: Array<[number, () => void]> = [];

  readonly listener = (payload: string | Buffer, message: BrokerMessage): void => {
    this.messages.push({ payload, message });
    this.#waiters = this.#waiters.filter(([count, resolve]) => {
      if (this.messages.length < count) return true;
      resolve();
      return false;
    });
  };

  until(count: number): Promise<void> {
    if (this.messages.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push([count, resolve]));
  }

  get payloads(): Array<string | Buffer> {
    return this.messages.map(({ payload }) => payload);
  }
}

describeWithRedisServer("RedisBroker against a real redis-server", () => {
  let redis: RedisServer;
  const brokers: RedisBroker[] = [];
  const broker = (options = {}): RedisBroker => {
    const made = new RedisBroker({ url: redis.url, reconnectDelay: 0.02, maxReconnectDelay: 0.2, ...options });
    brokers.push(made);
    return made;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    await Promise.all(brokers.splice(0).map((made) => made.close()));
    if (!redis.running) await redis.restart();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it("carries text and bytes between two brokers unchanged, with origin, own and sequence", async () => {
    const a = broker();
    const b = broker();
    const inbox = new Inbox();
    const own = new Inbox();
    await b.subscribe("room", inbox.listener);
    await a.subscribe("room", own.listener);
    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const large = Buffer.alloc(1 << 20, 0xab);
    const payloads = ["héllo ✓", everyByte, "", Buffer.alloc(0), large, "\u0000\ud83d\ude00"];
    for (const payload of payloads) await a.publish("room", payload);
    await Promise.all([inbox.until(payloads.length), own.until(payloads.length)]);
    // Buffer.equals: Jest compares a 1 MiB Buffer byte by byte, slowly.
    expect(inbox.payloads.map((payload, i) => (Buffer.isBuffer(payload) ? payload.equals(payloads[i] as Buffer) : payload === payloads[i]))).toEqual(
      payloads.map(() => true),
    );
    expect(inbox.payloads.map((payload) => typeof payload)).toEqual(["string", "object", "string", "object", "object", "string"]);
    expect(inbox.messages.map(({ message }) => message)).toEqual(
      payloads.map((_, i) => ({ channel: "room", origin: a.id, own: false, sequence: i + 1 })),
    );
    expect(own.messages.every(({ message }) => message.own && message.origin === a.id)).toBe(true);
    expect(a.stats).toMatchObject({ published: payloads.length, received: payloads.length, missed: 0, malformed: 0 });
    expect(a.state).toBe("live");
  });

  it("skipOwn skips this broker's own messages only", async () => {
    const a = broker();
    const b = broker();
    const inbox = new Inbox();
    await a.subscribe("c", inbox.listener, { skipOwn: true });
    await a.publish("c", "mine");
    await b.publish("c", "theirs");
    await inbox.until(1);
    // A later message from b proves "mine" was received and skipped, not merely slow.
    await b.publish("c", "theirs again");
    await inbox.until(2);
    expect(inbox.payloads).toEqual(["theirs", "theirs again"]);
    expect(a.stats.received).toBe(3);
  });

  it("unsubscribe ends one listener; the last one ends the Redis subscription", async () => {
    const a = broker();
    const b = broker();
    const first = new Inbox();
    const second = new Inbox();
    const offFirst = await b.subscribe("c", first.listener);
    const offSecond = await b.subscribe("c", second.listener);
    await a.publish("c", "1");
    await second.until(1);
    await offFirst();
    await offFirst();
    await a.publish("c", "2");
    await second.until(2);
    expect(first.payloads).toEqual(["1"]);
    await offSecond();
    const probe = createClient({ url: redis.url });
    await probe.connect();
    expect(await probe.pubSubNumSub("tornado:c")).toEqual({ "tornado:c": 0 });
    probe.destroy();
  });

  it("logs a listener's throw and delivers to the other listeners", async () => {
    const a = broker();
    const inbox = new Inbox();
    await a.subscribe("c", () => {
      throw new Error("boom");
    });
    await a.subscribe("c", inbox.listener);
    await ExpectLog.run(appLog, /Exception in a broker listener on channel "c"/, async () => {
      await a.publish("c", "x");
      await inbox.until(1);
    });
  });

  it("drops what is not an envelope, counts it, and goes on", async () => {
    const a = broker();
    const inbox = new Inbox();
    await a.subscribe("c", inbox.listener);
    const raw = createClient({ url: redis.url });
    await raw.connect();
    await raw.publish("tornado:c", "not an envelope");
    await raw.publish("tornado:c", Buffer.from([1, 0xfe, ...Buffer.alloc(30)]));
    raw.destroy();
    await a.publish("c", "good");
    await inbox.until(1);
    expect(inbox.payloads).toEqual(["good"]);
    expect(a.stats.malformed).toBe(2);
  });

  it("uses its prefix for channel names in Redis", async () => {
    const a = broker({ prefix: "app1:" });
    const b = broker({ prefix: "app2:" });
    const inboxA = new Inbox();
    const inboxB = new Inbox();
    await a.subscribe("c", inboxA.listener);
    await b.subscribe("c", inboxB.listener);
    await b.publish("c", "to app2");
    await a.publish("c", "to app1");
    await Promise.all([inboxA.until(1), inboxB.until(1)]);
    expect(inboxA.payloads).toEqual(["to app1"]);
    expect(inboxB.payloads).toEqual(["to app2"]);
  });

  it("survives a Redis restart: what was published during the outage is refused and counted missed, the rest arrives once", async () => {
    const a = broker();
    const b = broker();
    const inbox = new Inbox();
    await b.subscribe("c", inbox.listener);
    await ExpectLog.run(genLog, /RedisBroker lost its connection/, async () => {
      await ExpectLog.run(genLog, /RedisBroker reconnected to/, async () => {
        for (let i = 0; i < 50; i++) await a.publish("c", `before ${i}`);
        await inbox.until(50);
        await redis.stop();
        // Both brokers see the outage; then every publish is refused at once, not queued.
        await Promise.all([waitForState(a, "reconnecting"), waitForState(b, "reconnecting")]);
        const refused = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => a.publish("c", `during ${i}`)));
        expect(refused.every((result) => result.status === "rejected" && result.reason instanceof BrokerDisconnectedError)).toBe(true);
        await redis.restart();
        await Promise.all([a.whenLive(), b.whenLive()]);
        for (let i = 0; i < 50; i++) await a.publish("c", `after ${i}`);
        await inbox.until(100);
      });
    });
    expect(inbox.payloads).toEqual([
      ...Array.from({ length: 50 }, (_, i) => `before ${i}`),
      ...Array.from({ length: 50 }, (_, i) => `after ${i}`),
    ]);
    expect(b.stats).toMatchObject({ received: 100, missed: 20, reconnects: 1 });
    expect(a.stats).toMatchObject({ published: 100, reconnects: 1 });
  }, 30_000);

  it("rejects with BrokerUnreachableError while Redis is down at the start, and connects on a later call", async () => {
    await redis.stop();
    const a = broker({ connectTimeout: 2 });
    await expect(a.subscribe("c", () => undefined)).rejects.toBeInstanceOf(BrokerUnreachableError);
    expect(a.state).toBe("idle");
    await redis.restart();
    const inbox = new Inbox();
    await a.subscribe("c", inbox.listener);
    await a.publish("c", "up");
    await inbox.until(1);
    expect(a.state).toBe("live");
  });

  it("counts refused authentication as unreachable", async () => {
    const a = broker({ url: `redis://user:secret@127.0.0.1:${redis.port}` });
    await expect(a.connect()).rejects.toThrow(/^Redis at redis:\/\/user:\*\*\*@127.0.0.1:\d+ is unreachable: WRONGPASS/);
  });

  it("rejects with BrokerClosedError after close(), and whenLive() too", async () => {
    const a = broker();
    await a.connect();
    const waiting = a.whenLive();
    await expect(waiting).resolves.toBeUndefined();
    await a.close();
    expect(a.state).toBe("closed");
    await expect(a.publish("c", "x")).rejects.toBeInstanceOf(BrokerClosedError);
    await expect(a.subscribe("c", () => undefined)).rejects.toBeInstanceOf(BrokerClosedError);
    await expect(a.whenLive()).rejects.toBeInstanceOf(BrokerClosedError);
    await a.close();
  });
});

describe("RedisBroker without a Redis", () => {
  it("rejects every call with BrokerUnreachableError (password redacted) while nothing listens", async () => {
    const { server, port } = await bindUnusedPort();
    await new Promise((resolve) => server.close(resolve)); // nothing listens there now
    const a = new RedisBroker({ url: `redis://user:secret@127.0.0.1:${port}`, connectTimeout: 2 });
    const error = await a.connect().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BrokerUnreachableError);
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).toBeInstanceOf(TornadoError);
    expect((error as BrokerUnreachableError).code).toBe("TORNADO_ERR_PUBSUB_UNREACHABLE");
    expect((error as Error).message).toMatch(new RegExp(`^Redis at redis://user:\\*\\*\\*@127.0.0.1:${port} is unreachable: `));
    expect((error as Error).cause).toBeDefined();
    await expect(a.publish("c", "x")).rejects.toBeInstanceOf(BrokerUnreachableError);
    await expect(a.subscribe("c", () => undefined)).rejects.toBeInstanceOf(BrokerUnreachableError);
    expect(a.state).toBe("idle");
    await a.close();
  });

  it("checks its options and arguments", async () => {
    expect(() => new RedisBroker({ url: "http://x" })).toThrow(BrokerError);
    expect(() => new RedisBroker({ reconnectDelay: 0 })).toThrow(ArgumentRangeError);
    const a = new RedisBroker();
    await expect(a.publish("", "x")).rejects.toBeInstanceOf(ArgumentRangeError);
    await a.close();
  });
});

async function waitForState(broker: RedisBroker, state: RedisBroker["state"]): Promise<void> {
  // The broker has no event for this; its state flips on the client's error event, which
  // follows the socket's close within a few milliseconds.
  while (broker.state !== state) await new Promise((resolve) => setTimeout(resolve, 5));
}
