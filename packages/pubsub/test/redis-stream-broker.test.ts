import { createClient } from "redis";
import { genLog } from "@tornado/ioloop";
import { BrokerError, RedisStreamBroker, type BrokerMessage } from "@tornado/pubsub";
import { describeWithRedisServer, ExpectLog, type RedisServer, startRedisServer } from "@tornado/testing";
import { ArgumentRangeError } from "@tornado/util";

class Inbox {
  readonly messages: Array<{ payload: string | Buffer; message: BrokerMessage }> = [];
  #waiters: Array<() => void> = [];

  readonly listener = (payload: string | Buffer, message: BrokerMessage): void => {
    this.messages.push({ payload, message });
    for (const wake of this.#waiters.splice(0)) wake();
  };

  async until(count: number): Promise<void> {
    while (this.messages.length < count) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  get payloads(): Array<string | Buffer> {
    return this.messages.map(({ payload }) => payload);
  }
}

describeWithRedisServer("RedisStreamBroker against a real redis-server", () => {
  let redis: RedisServer;
  const brokers: RedisStreamBroker[] = [];
  const broker = (options = {}): RedisStreamBroker => {
    const made = new RedisStreamBroker({ url: redis.url, reconnectDelay: 0.02, maxReconnectDelay: 0.2, ...options });
    brokers.push(made);
    return made;
  };
  let channelCount = 0;
  const freshChannel = (): string => `c${++channelCount}`;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    await Promise.all(brokers.splice(0).map((made) => made.close()));
  });
  afterAll(() => redis.stop());

  it("delivers text and bytes with their entry ids, in one order for every subscriber", async () => {
    const [a, b, c] = [broker(), broker(), broker()];
    const channel = freshChannel();
    const inboxB = new Inbox();
    const inboxC = new Inbox();
    await b.subscribe(channel, inboxB.listener);
    await c.subscribe(channel, inboxC.listener);
    const ids: string[] = [];
    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    // Two publishers interleaved: every subscriber sees the stream's single order.
    for (let i = 0; i < 20; i++) ids.push(await (i % 2 === 0 ? a : b).publish(channel, i === 10 ? everyByte : `m${i}`));
    await Promise.all([inboxB.until(20), inboxC.until(20)]);
    expect(inboxB.messages.map(({ message }) => message.id)).toEqual(ids);
    expect(inboxC.messages.map(({ message }) => message.id)).toEqual(ids);
    expect((inboxB.payloads[10] as Buffer).equals(everyByte)).toBe(true);
    expect(inboxB.payloads[11]).toBe("m11");
    expect(inboxB.messages[0]!.message).toMatchObject({ channel, origin: a.id, own: false, sequence: 1 });
    expect(inboxB.messages[1]!.message).toMatchObject({ origin: b.id, own: true });
  });

  it("reads a channel subscribed while it waits on another (the blocking read is interrupted)", async () => {
    const [a, b] = [broker(), broker()];
    const [first, second] = [freshChannel(), freshChannel()];
    const inbox = new Inbox();
    await b.subscribe(first, inbox.listener);
    await a.publish(first, "one");
    await inbox.until(1);
    await b.subscribe(second, inbox.listener, { skipOwn: true });
    await a.publish(second, "two");
    await b.publish(second, "own, skipped");
    await a.publish(second, "three");
    await inbox.until(3);
    expect(inbox.payloads).toEqual(["one", "two", "three"]);
  });

  it("replays from a cursor (subscribe after, history) and trims to about maxLength", async () => {
    const a = broker({ maxLength: 1000 });
    const channel = freshChannel();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await a.publish(channel, `h${i}`));
    const replayed = new Inbox();
    await broker().subscribe(channel, replayed.listener, { after: ids[1] });
    await replayed.until(3);
    expect(replayed.payloads).toEqual(["h2", "h3", "h4"]);
    const after = await a.history(channel, { after: ids[2] });
    expect(after.map(({ payload }) => payload)).toEqual(["h3", "h4"]);
    expect(after.map(({ message }) => message.id)).toEqual(ids.slice(3));
    expect((await a.history(channel, { count: 2 })).map(({ payload }) => payload)).toEqual(["h3", "h4"]);
    expect(await a.history(freshChannel())).toEqual([]);
    const trimmed = broker({ maxLength: 10 });
    const long = freshChannel();
    for (let i = 0; i < 500; i++) await trimmed.publish(long, `t${i}`);
    const kept = await trimmed.history(long, { count: 1000 });
    // MAXLEN ~ trims whole nodes: about maxLength, never fewer, far fewer than 500.
    expect(kept.length).toBeGreaterThanOrEqual(10);
    expect(kept.length).toBeLessThan(500);
    expect(kept.at(-1)!.payload).toBe("t499");
  });

  it("loses nothing when its connections are killed mid-stream: it reads on from its cursor", async () => {
    const a = broker();
    const b = broker({ redisOptions: { name: "victim" } });
    const channel = freshChannel();
    const inbox = new Inbox();
    await b.subscribe(channel, inbox.listener);
    const probe = createClient({ url: redis.url });
    await probe.connect();
    const sent: string[] = [];
    await ExpectLog.run(genLog, /RedisStreamBroker lost its connection/, async () => {
      await ExpectLog.run(genLog, /RedisStreamBroker reconnected/, async () => {
        for (let i = 0; i < 300; i++) {
          sent.push(`s${i}`);
          await a.publish(channel, `s${i}`);
          if (i === 100) {
            const list = String((await probe.sendCommand(["CLIENT", "LIST"])) as string);
            for (const line of list.split("\n").filter((entry) => / name=victim /.test(entry))) {
              await probe.sendCommand(["CLIENT", "KILL", "ID", /id=(\d+)/.exec(line)![1]!]);
            }
          }
        }
        await inbox.until(300);
        await b.whenLive();
      });
    });
    probe.destroy();
    expect(inbox.payloads).toEqual(sent);
    expect(b.stats).toMatchObject({ received: 300, missed: 0 });
    // Its two connections are killed one after the other: one or two outages.
    expect(b.stats.reconnects).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it("drops what is not an envelope, and checks its arguments", async () => {
    const a = broker();
    const channel = freshChannel();
    const inbox = new Inbox();
    await a.subscribe(channel, inbox.listener);
    const raw = createClient({ url: redis.url });
    await raw.connect();
    await raw.sendCommand(["XADD", `tornado:${channel}`, "*", "other", "field"]);
    await raw.sendCommand(["XADD", `tornado:${channel}`, "*", "e", "short"]);
    raw.destroy();
    await a.publish(channel, "good");
    await inbox.until(1);
    expect(inbox.payloads).toEqual(["good"]);
    expect(a.stats.malformed).toBe(2);
    await expect(a.subscribe(channel, () => undefined, { after: "yesterday" })).rejects.toBeInstanceOf(BrokerError);
    await expect(a.history(channel, { count: 0 })).rejects.toBeInstanceOf(ArgumentRangeError);
    expect(() => new RedisStreamBroker({ maxLength: 0 })).toThrow(ArgumentRangeError);
  });

  it("closes promptly while its read is blocked, and unsubscribing stops the delivery", async () => {
    const [a, b] = [broker(), broker()];
    const channel = freshChannel();
    const inbox = new Inbox();
    const off = await b.subscribe(channel, inbox.listener);
    await a.publish(channel, "before");
    await inbox.until(1);
    await off();
    await a.publish(channel, "after");
    const other = new Inbox();
    await b.subscribe(freshChannel(), other.listener);
    expect(inbox.payloads).toEqual(["before"]);
    await b.close();
    expect(b.state).toBe("closed");
  });
});
