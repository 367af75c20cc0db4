/**
 * The chat's command line, as Tornado's demos take it (`--port=8888`), with environment
 * variables as the fallback (`PORT`, `WORKERS`, `REDIS_URL`). Parsed with Node's
 * `util.parseArgs` until @tornado/ioloop has Tornado's `define`/`parseCommandLine` (issue 16).
 */

import { parseArgs } from "node:util";

export interface ChatOptions {
  port: number;
  address: string;
  /** Processes serving the port (forkProcesses); 1 serves from this process. */
  workers: number;
  /** Redis for the messages of every process; without it, a LocalBroker per process. */
  redisUrl: string | undefined;
  debug: boolean;
}

export const USAGE = `Usage: node dist/main.js [--port=8888] [--address=127.0.0.1] [--workers=1] [--redis_url=redis://...] [--debug]
Environment: PORT, WORKERS, REDIS_URL (the options win).`;

function integer(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^[0-9]{1,5}$/.test(text) || value < min || value > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** Parses `argv` (without node and the script) and `env`; throws with a message naming a bad value. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): ChatOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      address: { type: "string" },
      workers: { type: "string" },
      redis_url: { type: "string" },
      debug: { type: "boolean" },
    },
    strict: true,
  });
  return {
    port: integer("port", values.port ?? env.PORT ?? "8888", 0, 65535),
    address: values.address ?? "127.0.0.1",
    workers: integer("workers", values.workers ?? (env.WORKERS || "1"), 1, 64),
    redisUrl: values.redis_url ?? (env.REDIS_URL || undefined),
    debug: values.debug ?? false,
  };
}
