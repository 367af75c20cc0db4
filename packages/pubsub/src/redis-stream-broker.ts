/**
 * RedisStreamBroker: the Broker on Redis Streams, for messages that must survive a lost
 * connection. Each channel is a stream (XADD, trimmed to about `maxLength` entries); one
 * connection publishes, one reads every subscribed stream with a blocking XREAD from the last
 * entry it delivered. After a reconnection it goes on from there, so a process misses nothing
 * that Redis still holds, and `history()` gives a returning client what it missed (the chat
 * demo's cursor). Every subscriber sees one channel's messages in the same order.
 */

import type { TypeMapping } from "redis";
import { genLog } from "@tornado/ioloop";
import { checkCallback, checkPositiveInteger } from "@tornado/util";
import { checkChannel, checkPayload, type Broker, type BrokerListener, type BrokerMessage, type BrokerPayload, type SubscribeOptions, type Unsubscribe } from "./broker";
import { decodeEnvelope, encodeEnvelope } from "./envelope";
import { BrokerError } from "./errors";
import { randomOrigin } from "./origin";
import { loadRedis, RedisConnections, type RedisBrokerState, type RedisConnectionOptions } from "./redis-connections";
import { SequenceTracker } from "./sequence-tracker";
import { Subscriptions, type Subscription } from "./subscriptions";

/** Options of RedisStreamBroker. Times in seconds. */
export interface RedisStreamBrokerOptions extends RedisConnectionOptions {
  /** Entries kept per channel, about (`XADD MAXLEN ~`); default 10000. */
  maxLength?: number;
}

/** Options of RedisStreamBroker.subscribe. */
export interface StreamSubscribeOptions extends SubscribeOptions {
  /** Deliver the entries after this id first (a cursor from `message.id`); default: only new ones. */
  after?: string;
}

/** One entry of RedisStreamBroker.history(). */
export interface StreamEntry {
  payload: string | Buffer;
  message: BrokerMessage;
}

/** Counters since the broker was made. */
export interface RedisStreamBrokerStats {
  published: number;
  received: number;
  /** Gaps in an origin's sequence: entries trimmed (maxLength) before this broker read them. */
  missed: number;
  malformed: number;
  reconnects: number;
}

/** Stream entry ids: `<milliseconds>-<sequence>`. */
const ENTRY_ID = /^\d+-\d+$/;
const FIELD = "e";
const READ_COUNT = "1000";

/**
 * @example
 * const broker = new RedisStreamBroker({ url: "redis://127.0.0.1:6379", maxLength: 1000 });
 * await broker.subscribe("chat", (payload, message) => console.log(message.id, payload));
 * const id = await broker.publish("chat", "hello");
 * const missed = await broker.history("chat", { after: lastSeenId });
 */
export class RedisStreamBroker implements Broker {
  readonly id: string;
  readonly maxLength: number;
  readonly #idBytes: Buffer;
  readonly #connections: RedisConnections;
  readonly #stats = { published: 0, received: 0, missed: 0, malformed: 0 };
  readonly #subscriptions = new Subscriptions();
  /** The id of the last entry read, per subscribed channel. */
  readonly #cursors = new Map<string, string>();
  readonly #sequences = new Map<string, number>();
  readonly #tracker = new SequenceTracker();
  #reading: Promise<void> | null = null;
  #readerId: string | null = null;
  #blockedOn: ReadonlySet<string> | null = null;
  #wake: (() => void) | null = null;

  constructor(options: RedisStreamBrokerOptions = {}) {
    const maxLength = options.maxLength ?? 10000;
    checkPositiveInteger(maxLength, "maxLength", "entries");
    this.maxLength = maxLength;
    this.#connections = new RedisConnections("RedisStreamBroker", options, [
      { offlineQueue: false },
      { offlineQueue: true, blocking: true },
    ]);
    this.#idBytes = randomOrigin();
    this.id = this.#idBytes.toString("hex");
  }

  get url(): string {
    return this.#connections.url;
  }

  get prefix(): string {
    return this.#connections.prefix;
  }

  get state(): RedisBrokerState {
    return this.#connections.state;
  }

  get stats(): Readonly<RedisStreamBrokerStats> {
    return { ...this.#stats, reconnects: this.#connections.reconnects };
  }

  /** As RedisBroker.connect: rejects with BrokerUnreachableError when Redis cannot be reached. */
  connect(): Promise<void> {
    return this.#connections.connect();
  }

  /** As RedisBroker.whenLive. */
  whenLive(): Promise<void> {
    return this.#connections.whenLive();
  }

  /**
   * Appends `payload` to the channel's stream; resolves with its entry id once Redis took it.
   * Rejects with BrokerDisconnectedError during an outage (not queued).
   */
  async publish(channel: string, payload: BrokerPayload): Promise<string> {
    checkChannel(channel);
    checkPayload(payload);
    if (this.state !== "live") await this.connect();
    const sequence = (this.#sequences.get(channel) ?? 0) + 1;
    this.#sequences.set(channel, sequence);
    const envelope = encodeEnvelope(this.#idBytes, sequence, payload);
    const command = ["XADD", this.prefix + channel, "MAXLEN", "~", String(this.maxLength), "*", FIELD, envelope];
    let id: unknown;
    try {
      id = await this.#connections.clients[0]!.sendCommand(command);
    } catch (error) {
      throw this.#connections.commandError("XADD", error);
    }
    this.#stats.published++;
    return String(id);
  }

  /**
   * Subscribes `listener` to `channel`, from the entry after `after` (default: from now on);
   * resolves once the starting point is fixed: nothing published after that is missed, even
   * across reconnections, while the stream holds it.
   */
  async subscribe(channel: string, listener: BrokerListener, options: StreamSubscribeOptions = {}): Promise<Unsubscribe> {
    checkChannel(channel);
    checkCallback(listener, "listener");
    const after = options.after;
    if (after !== undefined && (typeof after !== "string" || !ENTRY_ID.test(after))) {
      throw new BrokerError(`after must be a stream entry id such as "1700000000000-0", got ${JSON.stringify(after)}`);
    }
    if (this.state !== "live") await this.connect();
    const subscription: Subscription = { listener, skipOwn: options.skipOwn === true };
    if (!this.#subscriptions.has(channel)) {
      const start = after ?? (await this.#lastId(channel));
      if (!this.#subscriptions.has(channel)) this.#cursors.set(channel, start);
    }
    this.#subscriptions.add(channel, subscription);
    this.#rearm();
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      if (this.#subscriptions.remove(channel, subscription)) {
        this.#cursors.delete(channel);
        this.#tracker.forget(channel);
        this.#rearm();
      }
    };
  }

  /**
   * The entries of `channel` after `after` (oldest first, at most `count`, default 100), or
   * without `after` the latest `count`. Each comes with its `message.id`, the cursor to pass
   * as `after` next time.
   */
  async history(channel: string, options: { after?: string; count?: number } = {}): Promise<StreamEntry[]> {
    checkChannel(channel);
    const count = options.count ?? 100;
    checkPositiveInteger(count, "count", "entries");
    const { after } = options;
    if (after !== undefined && (typeof after !== "string" || !ENTRY_ID.test(after))) {
      throw new BrokerError(`after must be a stream entry id such as "1700000000000-0", got ${JSON.stringify(after)}`);
    }
    if (this.state !== "live") await this.connect();
    const key = this.prefix + channel;
    const command =
      after === undefined ? ["XREVRANGE", key, "+", "-", "COUNT", String(count)] : ["XRANGE", key, `(${after}`, "+", "COUNT", String(count)];
    let reply: unknown;
    try {
      reply = await this.#connections.clients[0]!.sendCommand(command, { typeMapping: typeMapping() });
    } catch (error) {
      throw this.#connections.commandError(command[0]!, error);
    }
    const entries = (reply as [Buffer, Buffer[]][]).map(([id, fields]) => this.#entry(channel, id.toString(), fields));
    if (after === undefined) entries.reverse();
    return entries.filter((entry): entry is StreamEntry => entry !== null);
  }

  async #lastId(channel: string): Promise<string> {
    try {
      const reply = (await this.#connections.clients[0]!.sendCommand(["XREVRANGE", this.prefix + channel, "+", "-", "COUNT", "1"])) as [string, unknown][];
      return reply.length === 0 ? "0-0" : String(reply[0]![0]);
    } catch (error) {
      throw this.#connections.commandError("XREVRANGE", error);
    }
  }

  #entry(channel: string, id: string, fields: Buffer[]): StreamEntry | null {
    const data = fields[0]?.toString() === FIELD ? fields[1] : undefined;
    const envelope = data === undefined ? null : decodeEnvelope(data, this.#idBytes);
    if (envelope === null) {
      this.#stats.malformed++;
      genLog.debug(`RedisStreamBroker: dropped entry ${id} of ${JSON.stringify(channel)}, not an envelope`);
      return null;
    }
    return {
      payload: envelope.payload,
      message: { channel, origin: envelope.origin, own: envelope.own, sequence: envelope.sequence, id },
    };
  }

  /** Starts the read loop, or interrupts its XREAD so that it reads the new set of streams. */
  #rearm(): void {
    if (this.#connections.isClosed()) return;
    this.#reading ??= this.#readLoop().finally(() => (this.#reading = null));
    this.#wake?.();
    const blockedOn = this.#blockedOn;
    if (blockedOn !== null && !sameKeys(blockedOn, this.#cursors)) void this.#unblock(blockedOn);
  }

  // CLIENT UNBLOCK from the other connection; while the XREAD has not reached Redis yet it
  // answers 0, so it is repeated until that XREAD returns.
  async #unblock(blockedOn: ReadonlySet<string>): Promise<void> {
    while (this.#blockedOn === blockedOn && this.#readerId !== null && !this.#connections.isClosed()) {
      try {
        const unblocked = await this.#connections.clients[0]!.sendCommand(["CLIENT", "UNBLOCK", this.#readerId]);
        if (Number(unblocked) === 1) return;
      } catch {
        return; // the connection is down: the read loop starts over after the reconnection
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async #readLoop(): Promise<void> {
    while (!this.#connections.isClosed()) {
      if (this.#cursors.size === 0) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = null;
        continue;
      }
      const channels = [...this.#cursors.keys()];
      const keys = channels.map((channel) => this.prefix + channel);
      const reader = this.#connections.clients[1]!;
      this.#blockedOn = new Set(this.#cursors.keys());
      let reply: unknown;
      try {
        const id = reader.sendCommand(["CLIENT", "ID"]);
        const read = reader.sendCommand(
          ["XREAD", "COUNT", READ_COUNT, "BLOCK", "0", "STREAMS", ...keys, ...channels.map((channel) => this.#cursors.get(channel)!)],
          { typeMapping: typeMapping() },
        );
        read.catch(() => undefined); // awaited below, unless CLIENT ID failed first
        this.#readerId = String(Number(await id)); // CLIENT ID replies an integer
        // A channel added between the snapshot above and now was not in this XREAD.
        if (!sameKeys(this.#blockedOn, this.#cursors)) void this.#unblock(this.#blockedOn);
        reply = await read;
      } catch (error) {
        this.#blockedOn = null;
        if (this.#connections.isClosed()) return;
        if (error instanceof loadRedis().ErrorReply) {
          // Not a connection problem (a key of another type under the prefix): say so, retry slowly.
          genLog.error(`RedisStreamBroker: XREAD failed: ${error.message}`);
          await new Promise((resolve) => setTimeout(resolve, 1000));
          continue;
        }
        // Disconnected: read again from the same cursors once Redis is back.
        await this.#connections.whenLive().catch(() => undefined);
        continue;
      }
      this.#blockedOn = null;
      if (reply !== null) this.#deliver(reply as (Buffer | [Buffer, Buffer[]][])[]);
    }
  }

  #deliver(reply: (Buffer | [Buffer, Buffer[]][])[]): void {
    const prefixLength = Buffer.byteLength(this.prefix);
    for (let i = 0; i < reply.length; i += 2) {
      const channel = (reply[i] as Buffer).subarray(prefixLength).toString();
      for (const [rawId, fields] of reply[i + 1] as [Buffer, Buffer[]][]) {
        if (!this.#cursors.has(channel)) break; // unsubscribed meanwhile
        const id = rawId.toString();
        this.#cursors.set(channel, id);
        const entry = this.#entry(channel, id, fields);
        if (entry === null) continue;
        this.#stats.received++;
        this.#stats.missed += this.#tracker.gap(channel, entry.message.origin, entry.message.sequence);
        this.#subscriptions.dispatch(entry.payload, entry.message);
      }
    }
  }

  /** Ends every subscription and closes both connections. Safe to call twice. */
  async close(): Promise<void> {
    this.#subscriptions.clear();
    this.#cursors.clear();
    const reading = this.#reading;
    await this.#connections.close();
    this.#wake?.();
    await reading;
  }
}

function sameKeys(keys: ReadonlySet<string>, cursors: ReadonlyMap<string, string>): boolean {
  if (keys.size !== cursors.size) return false;
  for (const key of cursors.keys()) if (!keys.has(key)) return false;
  return true;
}

/** Replies with bulk strings as Buffers and maps as flat arrays (binary-safe, RESP2 and RESP3 alike). */
function typeMapping(): TypeMapping {
  const { RESP_TYPES } = loadRedis();
  return { [RESP_TYPES.BLOB_STRING]: Buffer, [RESP_TYPES.MAP]: Array } as TypeMapping;
}
