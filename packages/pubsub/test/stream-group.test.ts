/**
 * WebSocketGroup on RedisStreamBroker: two servers (two "processes" in this one) share a room;
 * the connections of one server's broker are killed in the middle of a stream of broadcasts,
 * and its WebSocket clients still get every message, once, in order.
 */

import { createClient } from "redis";
import WebSocket from "ws";
import { genLog } from "@tornado/ioloop";
import { RedisStreamBroker } from "@tornado/pubsub";
import { describeWithRedisServer, ExpectLog, HTTPTestServer, type RedisServer, startRedisServer } from "@tornado/testing";
import { Application } from "@tornado/web";
import { WebSocketGroup, WebSocketHandler } from "@tornado/websocket";

class RoomHandler extends WebSocketHandler {
  room!: WebSocketGroup;
  override initialize(options: { room: WebSocketGroup }): void {
    this.room = options.room;
  }
  override open(): void {
    this.room.add(this);
    void this.writeMessage("joined");
  }
  override onMessage(message: string | Buffer): void {
    void this.room.broadcast(message);
  }
}

async function join(port: number): Promise<{ ws: WebSocket; received: string[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/room`);
  const received: string[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.once("error", reject);
    ws.on("message", (data: Buffer) => (String(data) === "joined" ? resolve() : received.push(String(data))));
  });
  return { ws, received };
}

describeWithRedisServer("WebSocketGroup on RedisStreamBroker", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis.stop());

  it("keeps every broadcast for the members of a server whose Redis connections broke", async () => {
    const options = { url: redis.url, reconnectDelay: 0.02, maxReconnectDelay: 0.2 };
    const brokerA = new RedisStreamBroker(options);
    const brokerB = new RedisStreamBroker({ ...options, redisOptions: { name: "server-b" } });
    const roomA = new WebSocketGroup({ name: "room", broker: brokerA });
    const roomB = new WebSocketGroup({ name: "room", broker: brokerB });
    await Promise.all([roomA.whenReady(), roomB.whenReady()]);
    const serverA = await HTTPTestServer.start(new Application([["/room", RoomHandler, { room: roomA }]]));
    const serverB = await HTTPTestServer.start(new Application([["/room", RoomHandler, { room: roomB }]]));
    const sender = await join(serverA.port);
    const listeners = await Promise.all([join(serverA.port), join(serverB.port), join(serverB.port)]);
    const probe = createClient({ url: redis.url });
    await probe.connect();
    const sent = Array.from({ length: 200 }, (_, i) => `m${i}`);
    try {
      await ExpectLog.run(genLog, /RedisStreamBroker (lost its connection|reconnected)/, async () => {
        for (const [i, message] of sent.entries()) {
          sender.ws.send(message);
          if (i === 80) {
            const list = String((await probe.sendCommand(["CLIENT", "LIST"])) as string);
            for (const line of list.split("\n").filter((entry) => / name=server-b /.test(entry))) {
              await probe.sendCommand(["CLIENT", "KILL", "ID", /id=(\d+)/.exec(line)![1]!]);
            }
          }
          if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        }
        await Promise.all(
          [sender, ...listeners].map(async ({ received }) => {
            while (received.length < sent.length) await new Promise((resolve) => setTimeout(resolve, 10));
          }),
        );
      });
      for (const { received } of [sender, ...listeners]) expect(received).toEqual(sent);
      // Its two connections are killed one after the other: one or two outages.
      expect(brokerB.stats.reconnects).toBeGreaterThanOrEqual(1);
    } finally {
      probe.destroy();
      for (const { ws } of [sender, ...listeners]) ws.terminate();
      await Promise.all([serverA.stop(), serverB.stop()]);
      await Promise.all([roomA.close(), roomB.close()]);
      await Promise.all([brokerA.close(), brokerB.close()]);
    }
  }, 30_000);
});
