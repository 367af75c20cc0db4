/**
 * The chat's options, defined as Tornado's demos define them and parsed by main.ts's
 * `parseCommandLine()` (`--port=8888`, `--help`), which also reads the environment variables
 * the README documents (PORT, WORKERS, REDIS_URL); the command line wins.
 */

import { define } from "@tornado/tornado";

export const options = define("port", { type: "int", default: 8888, env: "PORT", help: "run on the given port" })
  .define("address", { default: "127.0.0.1", help: "listen on this address (0.0.0.0: every interface)" })
  .define("workers", {
    type: "int",
    default: 1,
    env: "WORKERS",
    help: "processes serving the port (forkProcesses): 1 serves from this process, 0 one per CPU",
  })
  .define("redis_url", {
    type: "string",
    env: "REDIS_URL",
    metavar: "URL",
    help: "the Redis that carries the messages of every process; none: a LocalBroker per process",
  })
  .define("debug", { default: false, help: "Tornado's debug mode: templates reloaded, tracebacks in error pages" });
