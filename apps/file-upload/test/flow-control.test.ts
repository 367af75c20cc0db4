import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Application, startHTTPTestServer, type HTTPTestServer } from "@tornado/tornado";
import { PUTHandler } from "../src/put-handler";
import { quietLogs, restoreLogs } from "./helpers";

// A disk that takes 2 ms per write, and a count of writes in flight: the handler must not be
// given the next chunk (the connection must not read it) while a write is pending.
let inFlight = 0;
let mostInFlight = 0;
let writes = 0;

class SlowDiskPUTHandler extends PUTHandler {
  override async prepare(): Promise<void> {
    await super.prepare();
    const file = this.file!;
    const write = file.write.bind(file) as (chunk: Buffer) => Promise<unknown>;
    (file as unknown as { write: (chunk: Buffer) => Promise<unknown> }).write = async (chunk: Buffer) => {
      inFlight++;
      writes++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 2));
        return await write(chunk);
      } finally {
        inFlight--;
      }
    };
  }
}

let dir: string;
let server: HTTPTestServer;

beforeAll(async () => {
  quietLogs();
  dir = await mkdtemp(join(tmpdir(), "file-upload-flow-"));
  const app = new Application([["/(.+)", SlowDiskPUTHandler, { uploadDir: dir, maxFileSize: 64 * 1024 * 1024 }]]);
  server = await startHTTPTestServer(app);
});
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
  restoreLogs();
});

it("writes one chunk at a time: reading waits while the disk write is pending", async () => {
  const content = randomBytes(8 * 1024 * 1024);
  const response = await server.fetch("/big.bin", {
    method: "PUT",
    bodyProducer: async (write) => {
      for (let at = 0; at < content.length; at += 256 * 1024) await write(content.subarray(at, at + 256 * 1024));
    },
  });
  expect(response.code).toBe(201);
  expect(writes).toBeGreaterThan(8);
  expect(mostInFlight).toBe(1);
  expect((await readFile(join(dir, "big.bin"))).equals(content)).toBe(true);
});
