/**
 * `pnpm --filter @tornado-apps/chat start [-- --port=8888]`: Tornado's chat demos. With
 * WORKERS=n, n processes serve the port (forkProcesses); with REDIS_URL, messages cross every
 * process (and machine) on that Redis.
 */

import cluster from "node:cluster";
import { appLog, cpuCount, forkProcesses, LocalBroker, onShutdown, parseCommandLine, RedisBroker, stopWorkers, type Broker } from "@tornado/tornado";
import { ChatApplication, MAX_POST_SIZE } from "./app";
import { ChatRoom } from "./chat-room";
import { options } from "./options";

async function main(): Promise<void> {
  parseCommandLine(); // --help, or an OptionsError naming a bad option; then INFO logging on
  const workers = options.workers > 0 ? options.workers : cpuCount(); // 0: one per CPU, as forkProcesses
  if (workers > 1) {
    if (cluster.isPrimary) {
      if (options.redisUrl === undefined) {
        appLog.warning(
          `${workers} workers without REDIS_URL: each process has its own LocalBroker, so a message reaches only the clients of the process that took it`,
        );
      }
      // A primary that dies takes its workers down at once: stop them gracefully first.
      for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void stopWorkers());
    }
    await forkProcesses(workers); // only the workers get past this line
  }
  const broker: Broker = options.redisUrl === undefined ? new LocalBroker() : new RedisBroker({ url: options.redisUrl });
  if (broker instanceof RedisBroker) await broker.connect(); // fail fast: BrokerUnreachableError
  const room = await ChatRoom.open(broker);
  const app = new ChatApplication(room, { debug: options.debug });
  const server = await app.listen(options.port, options.address, { maxBodySize: MAX_POST_SIZE });
  onShutdown(async () => {
    room.buffer.close(); // the parked long polls answer now, so shutdown() need not wait for them
    await server.shutdown();
    await room.close();
    await broker.close();
  });
  const through = broker instanceof RedisBroker ? `Redis at ${broker.url}` : "this process only";
  appLog.info(`Tornado chat on http://${options.address}:${server.boundPorts()[0]}/ (process ${process.pid}, messages through ${through})`);
}

main().catch((error: unknown) => {
  appLog.error("the chat could not start", error);
  process.exit(1);
});
