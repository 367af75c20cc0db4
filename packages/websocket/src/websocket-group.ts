/**
 * WebSocketGroup: a set of open WebSockets that receive the same messages (a chat room, a
 * live feed). A broadcast is framed once and the same bytes are written to every member; a
 * member that stops reading is dropped from a message or closed instead of buffering without
 * bound; with a Broker, a broadcast also reaches the group's members in every other process.
 *
 * Beyond Tornado, whose chat demo keeps a set of handlers and loops over write_message.
 */

import { jsonEncode } from "@tornado/escape";
import { genLog } from "@tornado/ioloop";
import { WebSocketClosedError, WebSocketValueError } from "./errors";
import { frameOf, writeFrames, type BroadcastMessage } from "./broadcast-frame";
import { scheduleFlush, type PendingBroadcasts } from "./broadcast-queue";
import type { WebSocketHandler } from "./websocket-handler";
import type { WebSocketMessage, WebSocketProtocol } from "./websocket-protocol";

/**
 * What a group needs of a broker: @tornado/pubsub's LocalBroker and RedisBroker fit, and so
 * does any object with these two methods. Declared here, not imported, because @tornado/pubsub
 * sits above this package.
 */
export interface GroupBroker {
  publish(channel: string, payload: string | Buffer): Promise<unknown>;
  subscribe(
    channel: string,
    listener: (payload: string | Buffer) => void,
    options: { skipOwn: boolean },
  ): Promise<() => Promise<unknown>>;
}

/** What to do with a member whose unsent bytes would pass `maxBufferedAmount`. */
export type SlowConsumerPolicy = "close" | "drop";

/** Options of WebSocketGroup. */
export interface WebSocketGroupOptions {
  /** The group's name; needed with a broker (its channel is `websocket-group:<name>`). */
  name?: string;
  /** Carries broadcasts to the groups of the same name in other processes; default none. */
  broker?: GroupBroker | null;
  /**
   * Bytes a member may have waiting to be sent (its `bufferedAmount`) before the slow-consumer
   * policy applies; default 1048576 (1 MiB).
   */
  maxBufferedAmount?: number;
  /**
   * `"close"` (default): close the member with `slowConsumerCloseCode`, and drop it from the
   * group. `"drop"`: skip this message for that member (it stays in the group).
   */
  slowConsumer?: SlowConsumerPolicy;
  /** 1013 Try Again Later (default) or 1008 Policy Violation. */
  slowConsumerCloseCode?: 1008 | 1013;
}

/** Options of WebSocketGroup.broadcast. */
export interface BroadcastOptions {
  /** Members of this process that do not get the message (usually its sender). */
  except?: WebSocketHandler | Iterable<WebSocketHandler> | null;
  /** Send bytes as a binary message; default: binary for bytes, text for a string or an object. */
  binary?: boolean;
}

/** Counters since the group was made. */
export interface WebSocketGroupStats {
  /** Messages skipped for a member over maxBufferedAmount (policy "drop"). */
  droppedMessages: number;
  /** Members closed for being over maxBufferedAmount (policy "close"). */
  slowConsumersClosed: number;
}

const OPEN = 1;
const DEFAULT_MAX_BUFFERED_AMOUNT = 1024 * 1024;
const NOOP = (): void => {};
/** Group names in use per broker: two groups of one name in one process would each skip the other's messages. */
const NAMES = new WeakMap<GroupBroker, Set<string>>();

/**
 * @example
 * const room = new WebSocketGroup({ name: "room", broker });
 * class ChatSocket extends WebSocketHandler {
 *   open() { room.add(this); }
 *   onMessage(message: string | Buffer) { room.broadcast(message); }
 * }
 */
export class WebSocketGroup implements PendingBroadcasts {
  readonly name: string | null;
  /** The broker channel of this group, `websocket-group:<name>` (null without a broker). */
  readonly channel: string | null;
  readonly maxBufferedAmount: number;
  readonly slowConsumer: SlowConsumerPolicy;
  readonly slowConsumerCloseCode: 1008 | 1013;
  readonly stats: WebSocketGroupStats = { droppedMessages: 0, slowConsumersClosed: 0 };
  readonly #broker: GroupBroker | null;
  readonly #members = new Map<WebSocketProtocol, WebSocketHandler>();
  /** Messages waiting for the flush, and for each the members it skips (or null). */
  #pending: BroadcastMessage[] = [];
  #pendingExcept: (ReadonlySet<WebSocketProtocol | null> | null)[] = [];
  readonly #subscribed: Promise<void>;
  #unsubscribe: (() => Promise<unknown>) | null = null;
  #closed = false;

  constructor(options: WebSocketGroupOptions = {}) {
    if (options === null || typeof options !== "object") {
      throw new WebSocketValueError(`options must be an object, got ${String(options)}`);
    }
    const { name = null, broker = null } = options;
    if (name !== null && (typeof name !== "string" || name === "")) {
      throw new WebSocketValueError(`name must be a non-empty string, got ${JSON.stringify(name)}`);
    }
    const max = options.maxBufferedAmount ?? DEFAULT_MAX_BUFFERED_AMOUNT;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new WebSocketValueError(`maxBufferedAmount must be a positive integer number of bytes, got ${String(max)}`);
    }
    const policy = options.slowConsumer ?? "close";
    if (policy !== "close" && policy !== "drop") {
      throw new WebSocketValueError(`slowConsumer must be "close" or "drop", got ${JSON.stringify(policy)}`);
    }
    const code = options.slowConsumerCloseCode ?? 1013;
    if (code !== 1008 && code !== 1013) {
      throw new WebSocketValueError(`slowConsumerCloseCode must be 1008 or 1013, got ${String(code)}`);
    }
    this.name = name;
    this.maxBufferedAmount = max;
    this.slowConsumer = policy;
    this.slowConsumerCloseCode = code;
    this.#broker = broker;
    if (broker === null) {
      this.channel = null;
      this.#subscribed = Promise.resolve();
      return;
    }
    if (typeof broker.publish !== "function" || typeof broker.subscribe !== "function") {
      throw new WebSocketValueError("broker must have publish() and subscribe() methods (a @tornado/pubsub Broker)");
    }
    if (name === null) throw new WebSocketValueError("a WebSocketGroup with a broker needs a name");
    let names = NAMES.get(broker);
    if (names === undefined) NAMES.set(broker, (names = new Set()));
    if (names.has(name)) throw new WebSocketValueError(`a WebSocketGroup named ${JSON.stringify(name)} already uses this broker`);
    names.add(name);
    this.channel = `websocket-group:${name}`;
    // Own messages are skipped: broadcast() has delivered them here already.
    this.#subscribed = broker.subscribe(this.channel, this.#onBrokerMessage, { skipOwn: true }).then((unsubscribe) => {
      if (this.#closed) void unsubscribe().catch(NOOP);
      else this.#unsubscribe = unsubscribe;
    });
    this.#subscribed.catch((error: unknown) => {
      genLog.warning(`WebSocketGroup ${JSON.stringify(name)}: subscribing through the broker failed; broadcasts of other processes will not arrive here`, error);
    });
  }

  /**
   * Resolves once the group receives the broadcasts of other processes (at once without a
   * broker); rejects with the broker's error if subscribing failed (an unreachable Redis).
   */
  whenReady(): Promise<void> {
    return this.#subscribed;
  }

  /** Number of members in this process. */
  get size(): number {
    return this.#members.size;
  }

  /** The members in this process. */
  members(): IterableIterator<WebSocketHandler> {
    return this.#members.values();
  }

  /**
   * Adds an open connection (call it from open()). It leaves the group by itself when it
   * closes. Throws WebSocketClosedError if it is not open.
   */
  add(handler: WebSocketHandler): void {
    const protocol = handler?.wsConnection;
    if (protocol === null || protocol === undefined || protocol.isClosing) {
      throw new WebSocketClosedError("only an open WebSocket can join a group");
    }
    if (this.#closed || this.#members.has(protocol)) return;
    this.#members.set(protocol, handler);
    protocol._addCloseListener(this.#memberClosed);
  }

  /** Removes a member; true if it was one. */
  remove(handler: WebSocketHandler): boolean {
    const protocol = handler?.wsConnection;
    if (protocol === null || protocol === undefined || !this.#members.delete(protocol)) return false;
    protocol._removeCloseListener(this.#memberClosed);
    return true;
  }

  has(handler: WebSocketHandler): boolean {
    const protocol = handler?.wsConnection;
    return protocol !== null && protocol !== undefined && this.#members.has(protocol);
  }

  readonly #memberClosed = (protocol: WebSocketProtocol): void => {
    this.#members.delete(protocol);
  };

  /**
   * Sends `message` to every member but `except`: here, with the other broadcasts of the
   * current task in one write per member, and through the broker to the group's members in
   * other processes. A string is text, bytes are binary (unless `binary` is false), a plain
   * object is JSON. Resolves once the broker took the message (at once without a broker);
   * rejects with the broker's error (the other processes do not get it; the members here
   * did). Unawaited rejections are marked handled.
   */
  broadcast(message: WebSocketMessage, options: BroadcastOptions = {}): Promise<void> {
    let data: string | Buffer;
    let binary: boolean;
    if (typeof message === "string") {
      data = message;
      binary = options.binary === true;
    } else if (message instanceof Uint8Array) {
      binary = options.binary !== false;
      const bytes = Buffer.isBuffer(message) ? message : Buffer.from(message.buffer, message.byteOffset, message.byteLength);
      data = binary ? bytes : bytes.toString();
    } else if (message !== null && typeof message === "object") {
      data = jsonEncode(message);
      binary = options.binary === true;
    } else {
      throw new WebSocketValueError(`message must be a string, bytes or a plain object, got ${typeof message}`);
    }
    if (this.#closed) return Promise.reject(new WebSocketClosedError("the group is closed"));
    this.#enqueue(data, binary, exceptSet(options.except));
    const broker = this.#broker;
    if (broker === null) return Promise.resolve();
    // Text crosses as a string and bytes as bytes, which the broker keeps apart.
    const published = broker.publish(this.channel!, binary && typeof data === "string" ? Buffer.from(data) : data);
    const settled = published.then(NOOP);
    settled.catch(NOOP);
    return settled;
  }

  readonly #onBrokerMessage = (payload: string | Buffer): void => {
    this.#enqueue(payload, typeof payload !== "string", null);
  };

  #enqueue(data: string | Buffer, binary: boolean, except: ReadonlySet<WebSocketProtocol | null> | null): void {
    if (this.#members.size === 0) return;
    this.#pending.push({ data: typeof data === "string" ? Buffer.from(data) : data, binary, frame: null });
    this.#pendingExcept.push(except);
    if (this.#pending.length === 1) scheduleFlush(this);
  }

  /** Writes the waiting messages: the same bytes to every member, one write each. @internal */
  _flush(): void {
    const messages = this.#pending;
    const excepts = this.#pendingExcept;
    if (messages.length === 0) return;
    this.#pending = [];
    this.#pendingExcept = [];
    let excluded: Set<WebSocketProtocol | null> | null = null;
    for (const except of excepts) if (except !== null) for (const protocol of except) (excluded ??= new Set()).add(protocol);
    let all: Buffer | null = null;
    const max = this.maxBufferedAmount;
    for (const protocol of this.#members.keys()) {
      const ws = protocol.ws;
      if (ws.readyState !== OPEN || protocol.isClosing) continue;
      let mine = messages;
      let bytes: Buffer;
      if (excluded !== null && excluded.has(protocol)) {
        mine = messages.filter((_, i) => !excepts[i]?.has(protocol));
        if (mine.length === 0) continue;
        bytes = concatFrames(mine);
      } else {
        bytes = all ??= concatFrames(messages);
      }
      if (ws.bufferedAmount + bytes.length > max) {
        this.#slowMember(protocol, mine.length);
        continue;
      }
      writeFrames(ws, bytes, mine);
    }
  }

  #slowMember(protocol: WebSocketProtocol, messages: number): void {
    if (this.slowConsumer === "drop") {
      this.stats.droppedMessages += messages;
      return;
    }
    this.stats.slowConsumersClosed++;
    this.#members.delete(protocol);
    protocol._removeCloseListener(this.#memberClosed);
    // The close frame waits behind what the member has not read; if it never reads it,
    // close() gives up after 5 s and drops the TCP connection.
    protocol.close(this.slowConsumerCloseCode, "slow consumer");
  }

  /**
   * Leaves the broker channel and forgets every member (their connections stay open). Later
   * broadcasts reject with WebSocketClosedError.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this._flush();
    this.#closed = true;
    for (const protocol of this.#members.keys()) protocol._removeCloseListener(this.#memberClosed);
    this.#members.clear();
    if (this.#broker !== null) NAMES.get(this.#broker)?.delete(this.name!);
    const unsubscribe = this.#unsubscribe;
    this.#unsubscribe = null;
    if (unsubscribe !== null) await unsubscribe();
  }
}

/** The protocols of `except` (a handler or several), or null. */
function exceptSet(except: BroadcastOptions["except"]): ReadonlySet<WebSocketProtocol | null> | null {
  if (except === null || except === undefined) return null;
  if (Symbol.iterator in except) return new Set([...except].map((handler) => handler.wsConnection));
  return new Set([(except as WebSocketHandler).wsConnection]);
}

function concatFrames(messages: readonly BroadcastMessage[]): Buffer {
  return messages.length === 1 ? frameOf(messages[0]!) : Buffer.concat(messages.map(frameOf));
}
