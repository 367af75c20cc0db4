/**
 * @tornado/pubsub: publish/subscribe across processes and machines (beyond Tornado). A Broker
 * interface; LocalBroker, in one process; RedisBroker, through Redis pub/sub on node-redis.
 * @tornado/websocket's WebSocketGroup takes either to broadcast across processes.
 *
 * @example
 * import { LocalBroker, RedisBroker } from "@tornado/pubsub";
 *
 * const broker = process.env.REDIS_URL ? new RedisBroker({ url: process.env.REDIS_URL }) : new LocalBroker();
 * const unsubscribe = await broker.subscribe("news", (payload, message) => console.log(payload, message.origin));
 * await broker.publish("news", "hello");
 * await unsubscribe();
 * await broker.close();
 */
export { PUBSUB_ERROR_CODES, BrokerError, BrokerUnreachableError, BrokerDisconnectedError, BrokerClosedError } from "./errors";
export type { Broker, BrokerListener, BrokerMessage, BrokerPayload, SubscribeOptions, Unsubscribe } from "./broker";
export { LocalBroker } from "./local-broker";
export { RedisBroker } from "./redis-broker";
export type { RedisBrokerOptions, RedisBrokerStats } from "./redis-broker";
export type { RedisBrokerState, RedisConnectionOptions } from "./redis-connections";
export { RedisStreamBroker } from "./redis-stream-broker";
export type { RedisStreamBrokerOptions, RedisStreamBrokerStats, StreamEntry, StreamSubscribeOptions } from "./redis-stream-broker";
