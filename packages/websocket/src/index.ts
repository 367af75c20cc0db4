/**
 * @tornado/websocket: Tornado's websocket module — WebSocketHandler (a RequestHandler that
 * upgrades) and websocketConnect (the client), on the `ws` package.
 *
 * @example
 * import { Application } from "@tornado/web";
 * import { WebSocketHandler, websocketConnect } from "@tornado/websocket";
 *
 * class EchoHandler extends WebSocketHandler {
 *   onMessage(message: string | Buffer) {
 *     return this.writeMessage(message, Buffer.isBuffer(message));
 *   }
 * }
 * const server = await new Application([["/ws", EchoHandler]]).listen(8888);
 * const client = await websocketConnect("ws://127.0.0.1:8888/ws");
 * await client.writeMessage("hello");
 * console.log(await client.readMessage()); // "hello"
 */
export { WEBSOCKET_ERROR_CODES, WebSocketError, WebSocketClosedError, WebSocketValueError } from "./errors";
export { WebSocketHandler, DEFAULT_MAX_MESSAGE_SIZE } from "./websocket-handler";
export { WebSocketProtocol } from "./websocket-protocol";
export type { PingOptions, WebSocketMessage } from "./websocket-protocol";
export { WebSocketClientConnection } from "./websocket-client-connection";
export { websocketConnect } from "./websocket-connect";
export type { WebSocketConnectOptions } from "./websocket-connect";
export type { CompressionOptions } from "./compression-options";
export { closeAllWebSockets } from "./open-websockets";
export { WebSocketGroup } from "./websocket-group";
export type {
  BroadcastOptions,
  GroupBroker,
  SlowConsumerPolicy,
  WebSocketGroupOptions,
  WebSocketGroupStats,
} from "./websocket-group";
export { computeAcceptValue } from "./compute-accept-value";
export { pingSleepTime } from "./ping-sleep-time";
export { websocketMask } from "./websocket-mask";
