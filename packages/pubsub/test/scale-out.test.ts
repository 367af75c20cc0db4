/**
 * Scale-out with real processes and a real redis-server: two workers of forkProcesses on one
 * port and a third process on another port (a second "machine") share a WebSocketGroup through
 * RedisBroker. Clients on every process get each broadcast exactly once, in order per sender;
 * a Redis restart loses what the README says and nothing more; a killed worker is restarted
 * and its clients reconnect; a rolling restart loses no request.
 */

import { spawn, type ChildProcess } from "node:child_process";
import * as http from "node:http";
import { join } from "node:path";
import WebSocket from "ws";
import { AsyncHTTPClient } from "@tornado/httpclient";
import { bindUnusedPort, describeWithRedisServer, startRedisServer, type RedisServer } from "@tornado/testing";

const FIXTURE = join(__dirname, "fixtures", "chat-server.js");

/** A fixture process whose stdout lines can be awaited. */
class Server {
  readonly lines: string[] = [];
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  #waiters: Array<() => void> = [];

  constructor(mode: "cluster" | "single", readonly port: number, redisUrl: string) {
    this.child = spawn(process.execPath, [FIXTURE, mode, String(port), redisUrl], { stdio: ["ignore", "pipe", "pipe"] });
    let buffered = "";
    this.child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split("\n");
      buffered = parts.pop()!;
      this.lines.push(...parts);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    // Broker outages and restarts are logged on purpose; keep them out of the test output.
    this.child.stderr!.on("data", (chunk: Buffer) => process.env.SCALE_OUT_DEBUG && process.stderr.write(chunk));
    this.exited = new Promise((resolve) => this.child.once("exit", () => resolve()));
  }

  /** Resolves with the lines matching `pattern` once there are `count` of them. */
  async waitLines(pattern: RegExp, count = 1): Promise<string[]> {
    for (;;) {
      const matching = this.lines.filter((line) => pattern.test(line));
      if (matching.length >= count) return matching;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** A chat client: its server's pid (from the greeting) and every message after it. */
class ChatClient {
  readonly received: string[] = [];
  pid = 0;
  closeCode: number | null = null;
  readonly closed: Promise<void>;
  #waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data: Buffer) => {
      const text = data.toString();
      if (this.pid === 0 && text.startsWith("hello ")) this.pid = Number(text.slice(6));
      else this.received.push(text);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) =>
      ws.on("close", (code: number) => {
        this.closeCode = code;
        for (const wake of this.#waiters.splice(0)) wake();
        resolve();
      }),
    );
  }

  static async connect(port: number): Promise<ChatClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/chat`);
    ws.on("error", () => undefined);
    const client = new ChatClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => undefined);
      ws.once("close", () => reject(new Error("closed before the greeting")));
      const check = (): void => (client.pid !== 0 ? resolve() : void client.#waiters.push(check));
      client.#waiters.push(check);
    });
    return client;
  }

  async until(predicate: (received: string[]) => boolean): Promise<void> {
    while (!predicate(this.received)) {
      if (this.closeCode !== null) throw new Error(`closed (${this.closeCode}) while waiting`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  close(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
    return this.closed;
  }
}

/** Connects until every pid in `pids` has at least `each` clients (round-robin spreads them). */
async function connectSpread(port: number, pids: number[], each: number): Promise<ChatClient[]> {
  const clients: ChatClient[] = [];
  const extra: ChatClient[] = [];
  const count = (pid: number): number => clients.filter((client) => client.pid === pid).length;
  for (let attempt = 0; pids.some((pid) => count(pid) < each); attempt++) {
    if (attempt > 20 * each * pids.length) throw new Error(`could not reach every worker: ${JSON.stringify(pids)}`);
    const client = await ChatClient.connect(port);
    if (pids.includes(client.pid) && count(client.pid) < each) clients.push(client);
    else extra.push(client);
  }
  await Promise.all(extra.map((client) => client.close()));
  return clients;
}

/** Every message from each sender, in the order it was sent, exactly once. */
function expectExactlyOnceInOrder(received: string[], expected: string[]): void {
  const sorted = (list: string[]): string[] => [...list].sort();
  expect(received.length).toBe(expected.length);
  expect(sorted(received)).toEqual(sorted(expected));
  const bySender = new Map<string, number[]>();
  for (const message of received) {
    const [sender, index] = message.split(":");
    bySender.set(sender!, [...(bySender.get(sender!) ?? []), Number(index)]);
  }
  for (const indexes of bySender.values()) expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port, path, agent: false }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, body }));
    });
    request.on("error", reject);
    request.setTimeout(10_000, () => request.destroy(new Error("no answer within 10 s")));
  });
}

/** A loopback port nothing listens on, for a fixture process to listen on. */
async function freePort(): Promise<number> {
  const { server, port } = await bindUnusedPort();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describeWithRedisServer("scale-out: WebSocketGroup across processes through a real redis-server", () => {
  let redis: RedisServer;
  let cluster: Server;
  let single: Server;
  let workerPids: number[];
  let singlePid: number;
  let clients: ChatClient[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    cluster = new Server("cluster", await freePort(), redis.url);
    single = new Server("single", await freePort(), redis.url);
    workerPids = (await cluster.waitLines(/^listening /, 2)).map((line) => Number(line.split(" ")[1]));
    singlePid = Number((await single.waitLines(/^listening /))[0]!.split(" ")[1]);
  }, 60_000);

  afterEach(async () => {
    await Promise.all(clients.map((client) => client.close()));
    clients = [];
  });

  afterAll(async () => {
    await Promise.all([cluster?.stop(), single?.stop()]);
    await redis?.stop();
  }, 60_000);

  it("delivers every broadcast exactly once, in order per sender, to clients of all three processes", async () => {
    clients = [...(await connectSpread(cluster.port, workerPids, 3)), ...(await connectSpread(single.port, [singlePid], 3))];
    expect(new Set(clients.map((client) => client.pid))).toEqual(new Set([...workerPids, singlePid]));
    // One sender per process, sending at the same time.
    const senders = [workerPids[0], workerPids[1], singlePid].map((pid) => clients.find((client) => client.pid === pid)!);
    const PER_SENDER = 200;
    const expected: string[] = [];
    senders.forEach((sender, s) => {
      for (let i = 0; i < PER_SENDER; i++) {
        sender.ws.send(`s${s}:${i}`);
        expected.push(`s${s}:${i}`);
      }
    });
    await Promise.all(clients.map((client) => client.until((received) => received.length >= expected.length)));
    // A last message from each sender proves nothing more (a duplicate) was on its way.
    senders.forEach((sender, s) => sender.ws.send(`s${s}:${PER_SENDER}`));
    senders.forEach((_, s) => expected.push(`s${s}:${PER_SENDER}`));
    await Promise.all(clients.map((client) => client.until((received) => received.length >= expected.length)));
    for (const client of clients) expectExactlyOnceInOrder(client.received, expected);
  }, 60_000);

  it("across a Redis restart loses only what the README says: while Redis is away a broadcast reaches its own process only", async () => {
    clients = [...(await connectSpread(cluster.port, workerPids, 2)), ...(await connectSpread(single.port, [singlePid], 2))];
    const senders = [workerPids[0], workerPids[1], singlePid].map((pid) => clients.find((client) => client.pid === pid)!);
    const send = (phase: string, count: number): Map<number, string[]> => {
      const sentBy = new Map<number, string[]>(); // pid -> messages its sender sent
      senders.forEach((sender, s) => {
        const sent: string[] = [];
        for (let i = 0; i < count; i++) {
          sender.ws.send(`${phase}${s}:${i}`);
          sent.push(`${phase}${s}:${i}`);
        }
        sentBy.set(sender.pid, sent);
      });
      return sentBy;
    };
    const all = (sentBy: Map<number, string[]>): string[] => [...sentBy.values()].flat();

    const before = send("before", 50);
    await Promise.all(clients.map((client) => client.until((received) => received.length >= all(before).length)));

    const downs = [cluster, cluster, single].map((server) => server.lines.filter((line) => /^broker reconnecting/.test(line)).length);
    await redis.stop();
    await cluster.waitLines(/^broker reconnecting /, downs[0]! + 2);
    await single.waitLines(/^broker reconnecting /, downs[2]! + 1);
    const during = send("during", 20);
    // Each client gets its own process's messages of the outage, and no other.
    await Promise.all(clients.map((client) => client.until((received) => received.length >= all(before).length + during.get(client.pid)!.length)));

    const ups = [cluster, single].map((server) => server.lines.filter((line) => /^broker live/.test(line)).length);
    await redis.restart();
    await cluster.waitLines(/^broker live /, ups[0]! + 2);
    await single.waitLines(/^broker live /, ups[1]! + 1);
    const after = send("after", 50);
    await Promise.all(
      clients.map((client) =>
        client.until((received) => received.length >= all(before).length + during.get(client.pid)!.length + all(after).length),
      ),
    );
    for (const client of clients) {
      expectExactlyOnceInOrder(client.received, [...all(before), ...during.get(client.pid)!, ...all(after)]);
    }
  }, 60_000);

  it("restarts a killed worker; its clients reconnect and get the broadcasts again", async () => {
    clients = [...(await connectSpread(cluster.port, workerPids, 2)), ...(await connectSpread(single.port, [singlePid], 1))];
    const victim = workerPids[0]!;
    const orphans = clients.filter((client) => client.pid === victim);
    const listening = cluster.lines.filter((line) => line.startsWith("listening ")).length;
    process.kill(victim, "SIGKILL");
    await Promise.all(orphans.map((client) => client.closed));
    expect(orphans.map((client) => client.closeCode)).toEqual([1006, 1006]);
    const [line] = (await cluster.waitLines(/^listening /, listening + 1)).slice(-1);
    const replacement = Number(line!.split(" ")[1]);
    workerPids = [replacement, workerPids[1]!];
    const survivors = clients.filter((client) => client.pid !== victim);
    const reconnected = await connectSpread(cluster.port, workerPids, 2);
    clients = [...survivors, ...reconnected];
    expect(reconnected.filter((client) => client.pid === replacement)).toHaveLength(2);
    const sender = clients.find((client) => client.pid === singlePid)!;
    sender.ws.send("again:0");
    await Promise.all(clients.map((client) => client.until((received) => received.includes("again:0"))));
  }, 60_000);

  it("a rolling restart loses no request and closes the WebSockets of replaced workers with 1001", async () => {
    clients = await connectSpread(cluster.port, workerPids, 2);
    let restarting = true;
    const results: Array<number | Error> = [];
    const keptAlive: Array<number | Error> = [];
    const client = new AsyncHTTPClient({ maxClients: 4 });
    // Sequential requests on fresh connections, four keep-alive connections busy with requests,
    // and slow requests in flight, all through the restart.
    const load = (async () => {
      while (restarting) results.push(await get(cluster.port, "/pid").then((response) => response.status, (error: Error) => error));
    })();
    const keepAliveLoad = Array.from({ length: 4 }, async () => {
      while (restarting) {
        keptAlive.push(
          await client.fetch(`http://127.0.0.1:${cluster.port}/pid`, { raiseError: false }).then((response) => response.code, (error: Error) => error),
        );
      }
    });
    const slow = Array.from({ length: 6 }, (_, i) =>
      new Promise((resolve) => setTimeout(resolve, i * 150)).then(() =>
        get(cluster.port, "/pid?delay=400").then((response) => response.status, (error: Error) => error),
      ),
    );
    const restarted = cluster.lines.filter((line) => line === "restarted").length;
    cluster.child.kill("SIGHUP");
    await cluster.waitLines(/^restarted$/, restarted + 1);
    restarting = false;
    await Promise.all([load, ...keepAliveLoad]);
    await client.close();
    expect(results.filter((result) => result !== 200)).toEqual([]);
    expect(results.length).toBeGreaterThan(10);
    expect(keptAlive.filter((result) => result !== 200)).toEqual([]);
    expect(keptAlive.length).toBeGreaterThan(10);
    expect(await Promise.all(slow)).toEqual([200, 200, 200, 200, 200, 200]);
    await Promise.all(clients.map((client) => client.closed));
    expect(clients.map((client) => client.closeCode)).toEqual([1001, 1001, 1001, 1001]);
    const listening = cluster.lines.filter((line) => line.startsWith("listening "));
    workerPids = listening.slice(-2).map((line) => Number(line.split(" ")[1]));
    // The new workers serve the room.
    clients = [...(await connectSpread(cluster.port, workerPids, 1)), ...(await connectSpread(single.port, [singlePid], 1))];
    clients[0]!.ws.send("new:0");
    await Promise.all(clients.map((client) => client.until((received) => received.includes("new:0"))));
  }, 90_000);
});
