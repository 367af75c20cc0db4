/** The receiver on a loopback port with its own upload directory, for one describe block. */

import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { accessLog, appLog, AsyncHTTPClient, genLog, LogLevel, startHTTPTestServer, type HTTPTestServer } from "@tornado/tornado";
import { makeApp } from "../src/app";

export interface Receiver {
  readonly server: HTTPTestServer;
  readonly url: string;
  /** The directory PUT stores into (a fresh temp dir inside `root`). */
  readonly uploadDir: string;
  /** Its parent: nothing may ever be written here but uploadDir. */
  readonly root: string;
  readonly client: AsyncHTTPClient;
  /** Every name in uploadDir, hidden ones included, sorted. */
  files(): Promise<string[]>;
}

const LOGGERS = [accessLog, appLog, genLog];
let levels: LogLevel[] = [];

/**
 * Access lines, the receiver's own info lines, and the warnings for the refusals these tests
 * provoke stay out of the output; errors still print (and an unexpected one shows).
 */
export function quietLogs(): void {
  levels = LOGGERS.map((logger) => logger.level);
  for (const logger of LOGGERS) logger.level = LogLevel.ERROR;
}

export function restoreLogs(): void {
  LOGGERS.forEach((logger, index) => (logger.level = levels[index]));
}

export const LIMITS = { maxFileSize: 1024 * 1024, maxPostSize: 256 * 1024 };

export function useReceiver(): Receiver {
  let root = "";
  let server: HTTPTestServer | undefined;
  let client: AsyncHTTPClient | undefined;
  beforeAll(async () => {
    quietLogs();
    root = await mkdtemp(join(tmpdir(), "file-upload-test-"));
    await mkdir(join(root, "uploads"));
    const app = makeApp({ uploadDir: join(root, "uploads"), maxFileSize: LIMITS.maxFileSize });
    server = await startHTTPTestServer(app, { httpServerOptions: { maxBodySize: LIMITS.maxPostSize } });
    client = new AsyncHTTPClient();
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
    await rm(root, { recursive: true, force: true });
    restoreLogs();
  });
  return {
    get server() {
      return server!;
    },
    get url() {
      return server!.url("").replace(/\/$/, "");
    },
    get uploadDir() {
      return join(root, "uploads");
    },
    get root() {
      return root;
    },
    get client() {
      return client!;
    },
    async files() {
      return (await readdir(join(root, "uploads"))).sort();
    },
  };
}

/** Polls `condition` every 10 ms until it holds, failing after `seconds`. */
export async function waitFor(condition: () => Promise<boolean>, seconds = 5): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
