/** The receiver on a loopback port with its own upload directory, for one describe block. */

import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { accessLog, AsyncHTTPClient, genLog, LogLevel, startHTTPTestServer, type HTTPTestServer } from "@tornado/tornado";
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

export const LIMITS = { maxFileSize: 1024 * 1024, maxPostSize: 256 * 1024 };

export function useReceiver(): Receiver {
  let root = "";
  let server: HTTPTestServer | undefined;
  let client: AsyncHTTPClient | undefined;
  const levels = [accessLog.level, genLog.level];
  beforeAll(async () => {
    // The refusals these tests provoke are logged as warnings; keep them out of the output.
    accessLog.level = LogLevel.ERROR;
    genLog.level = LogLevel.ERROR;
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
    [accessLog.level, genLog.level] = levels;
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
