/**
 * Long-poll fan-out across processes, as docs/scale-out.md shows it: two servers (two
 * "processes" in this one) each subscribe once to a channel of a RedisBroker and wake their
 * waiting requests; a message posted to one server answers the requests waiting on both.
 */

import { RedisBroker, type Broker } from "@tornado/pubsub";
import { describeWithRedisServer, HTTPTestServer, type RedisServer, startRedisServer } from "@tornado/testing";
import { Application, RequestHandler } from "@tornado/web";

/** One server: the chat demo's MessageBuffer reduced to its wake-up, fed by the broker. */
async function chatServer(broker: Broker): Promise<{ server: HTTPTestServer; waiting: () => number }> {
  const waiters = new Set<(message: string) => void>();
  await broker.subscribe("chat", (payload) => {
    for (const wake of waiters) wake(String(payload));
    waiters.clear();
  });
  class UpdatesHandler extends RequestHandler {
    override async post() {
      this.write({ messages: [await new Promise<string>((resolve) => waiters.add(resolve))] });
    }
  }
  class NewMessageHandler extends RequestHandler {
    override async post() {
      await broker.publish("chat", this.getArgument("body"));
    }
  }
  const app = new Application([
    ["/a/message/updates", UpdatesHandler],
    ["/a/message/new", NewMessageHandler],
  ]);
  return { server: await HTTPTestServer.start(app), waiting: () => waiters.size };
}

describeWithRedisServer("long polling across processes through RedisBroker", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis.stop());

  it("a message posted to one server answers the requests waiting on both", async () => {
    const brokers = [new RedisBroker({ url: redis.url }), new RedisBroker({ url: redis.url })];
    const [a, b] = await Promise.all(brokers.map(chatServer));
    try {
      const waiting = [a!.server.fetch("/a/message/updates", { method: "POST", body: "" }), b!.server.fetch("/a/message/updates", { method: "POST", body: "" })];
      while (a!.waiting() + b!.waiting() < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      const posted = await a!.server.fetch("/a/message/new", { method: "POST", body: "body=hello+everyone" });
      expect(posted.code).toBe(200);
      const answers = await Promise.all(waiting);
      expect(answers.map((response) => JSON.parse(response.body.toString()))).toEqual([{ messages: ["hello everyone"] }, { messages: ["hello everyone"] }]);
    } finally {
      await Promise.all([a!.server.stop(), b!.server.stop()]);
      await Promise.all(brokers.map((broker) => broker.close()));
    }
  });
});
