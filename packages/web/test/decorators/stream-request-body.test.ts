/**
 * streamRequestBody: prepare before the body, dataReceived per chunk with flow control, the
 * method after the body; errors in prepare; client disconnects; multipart uploads through
 * MultipartParser. Ported from web_test.py StreamingRequestBodyTest and
 * Decorated/NativeStreamingRequestFlowControlTest.
 */

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { MultipartParser } from "@tornado/httputil";
import { Application, HTTPError, NotImplementedError, RequestHandler, streamRequestBody } from "@tornado/web";
import { LogCapture, startApp, startServer, waitFor, type TestServer } from "../support";

const logs = new LogCapture();
beforeAll(() => logs.start());
afterAll(() => logs.stop());

/** Reads from a socket until `predicate(text)` holds. */
function readUntil(socket: net.Socket, predicate: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (chunk: Buffer) => {
      text += chunk.toString("latin1");
      if (predicate(text)) {
        socket.off("data", onData);
        resolve(text);
      }
    };
    socket.on("data", onData);
    socket.once("error", reject);
  });
}

describe("StreamingRequestBodyTest", () => {
  const events: string[] = [];
  let server: TestServer;

  @streamRequestBody
  class StreamingBodyHandler extends RequestHandler {
    override prepare() {
      events.push("prepare");
    }
    override dataReceived(chunk: Buffer) {
      events.push(`data ${chunk.toString()}`);
    }
    override put() {
      events.push("put");
      this.write({});
    }
    override onConnectionClose() {
      super.onConnectionClose();
      events.push("closed");
    }
  }

  class EarlyReturnHandler extends RequestHandler {
    static override streamRequestBody = true;
    override prepare() {
      throw new HTTPError(401);
    }
  }

  beforeAll(async () => {
    server = await startApp([
      ["/stream_body", StreamingBodyHandler],
      ["/early_return", EarlyReturnHandler],
    ]);
  });
  afterAll(() => server.close());

  it("runs prepare, then dataReceived per chunk in lockstep, then the method", async () => {
    events.length = 0;
    const socket = net.connect(server.port, "127.0.0.1");
    try {
      socket.write("PUT /stream_body HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n");
      await waitFor(() => events.includes("prepare"));
      socket.write("4\r\nasdf\r\n");
      await waitFor(() => events.includes("data asdf"));
      socket.write("4\r\nqwer\r\n");
      await waitFor(() => events.includes("data qwer"));
      const response = readUntil(socket, (text) => text.endsWith("{}"));
      socket.write("0\r\n\r\n");
      expect(await response).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n\{\}$/);
      expect(events).toEqual(["prepare", "data asdf", "data qwer", "put"]);
    } finally {
      socket.destroy();
    }
  });

  it.each([false, true])("answers an error from prepare first (body sent: %s)", async (sendBody) => {
    const socket = net.connect(server.port, "127.0.0.1");
    try {
      const response = readUntil(socket, (text) => text.includes("\r\n\r\n"));
      socket.write("PUT /early_return HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n");
      if (sendBody) socket.write("4\r\nasdf\r\n");
      expect((await response).startsWith("HTTP/1.1 401")).toBe(true);
    } finally {
      socket.destroy();
    }
  });

  it("calls onConnectionClose when the client leaves mid-upload", async () => {
    events.length = 0;
    const socket = net.connect(server.port, "127.0.0.1");
    socket.write("PUT /stream_body HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n");
    await waitFor(() => events.includes("prepare"));
    socket.write("4\r\nasdf\r\n");
    await waitFor(() => events.includes("data asdf"));
    socket.destroy();
    await waitFor(() => events.includes("closed"));
    expect(events).not.toContain("put");
  });
});

describe("StreamingRequestFlowControlTest (chunkSize 10, decompressRequest)", () => {
  const methods: string[] = [];
  let inMethod = false;
  let server: TestServer;

  async function step(name: string): Promise<void> {
    if (inMethod) throw new Error(`${name} overlapped another method`);
    inMethod = true;
    methods.push(name);
    await new Promise((resolve) => setTimeout(resolve, 2));
    inMethod = false;
  }

  @streamRequestBody
  class FlowControlHandler extends RequestHandler {
    override async prepare() {
      await step("prepare");
    }
    override async dataReceived() {
      await step("dataReceived");
    }
    override async post() {
      await step("post");
      this.write({ methods });
    }
  }

  beforeAll(async () => {
    server = await startServer(new Application([["/", FlowControlHandler]]), { chunkSize: 10, decompressRequest: true });
  });
  afterAll(() => server.close());

  const expected = ["prepare", "dataReceived", "dataReceived", "dataReceived", "post"];

  it("a 26-byte body arrives in three chunks", async () => {
    methods.length = 0;
    const response = await server.fetch("/", { method: "POST", body: "abcdefghijklmnopqrstuvwxyz" });
    expect(response.json()).toEqual({ methods: expected });
  });

  it("chunked input keeps its chunks", async () => {
    methods.length = 0;
    const raw = await server.raw(
      "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n" +
        "4\r\nabcd\r\n4\r\nefgh\r\n4\r\nijkl\r\n0\r\n\r\n",
    );
    expect(raw.startsWith("HTTP/1.1 200")).toBe(true);
    expect(methods).toEqual(expected);
  });

  it("a gzipped body is decompressed in chunks", async () => {
    methods.length = 0;
    const response = await server.fetch("/", {
      method: "POST",
      headers: { "Content-Encoding": "gzip" },
      body: gzipSync(Buffer.from("abcdefghijklmnopqrstuvwxyz")),
    });
    expect(response.json()).toEqual({ methods: expected });
  });
});

describe("streamed multipart uploads", () => {
  let dir: string;
  let server: TestServer;

  @streamRequestBody
  class UploadHandler extends RequestHandler {
    parser!: MultipartParser;
    override prepare() {
      this.parser = MultipartParser.fromRequest(this.request, { uploadDir: dir, maxFileSize: 1000 });
    }
    override dataReceived(chunk: Buffer) {
      return this.parser.write(chunk);
    }
    override async post() {
      await this.parser.end();
      const [file] = this.parser.files.upload;
      this.write({ fields: this.parser.fields, size: file.size, content: readFileSync(file.path, "utf8") });
      await this.parser.cleanup();
      uploaded.push(file.path);
    }
  }
  const uploaded: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "web-upload-"));
    server = await startServer(new Application([["/upload", UploadHandler]]), { chunkSize: 7 });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function form(content: string): Buffer {
    return Buffer.from(
      "--B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhello\r\n" +
        `--B\r\nContent-Disposition: form-data; name="upload"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n${content}\r\n--B--\r\n`,
    );
  }

  it("parses fields and spills files while the body streams in", async () => {
    const response = await server.fetch("/upload", {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=B" },
      body: form("file content here"),
    });
    expect(response.json()).toEqual({ fields: { title: ["hello"] }, size: 17, content: "file content here" });
    expect(existsSync(uploaded[0])).toBe(false);
  });

  it("answers 413 over the file limit and 400 for a non-multipart body", async () => {
    const big = await server.fetch("/upload", {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=B" },
      body: form("x".repeat(2000)),
    });
    expect(big.status).toBe(413);
    const wrong = await server.fetch("/upload", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "x" });
    expect(wrong.status).toBe(400);
  });
});

describe("a streaming handler without dataReceived", () => {
  @streamRequestBody
  class Forgetful extends RequestHandler {
    override post() {
      this.write("never");
    }
  }

  it("answers 500 with NotImplementedError logged", async () => {
    const server = await startApp([["/", Forgetful]]);
    try {
      logs.clear();
      expect((await server.fetch("/", { method: "POST", body: "abc" })).status).toBe(500);
      const [record] = logs.matching(/Uncaught exception POST \//);
      expect(record.error).toBeInstanceOf(NotImplementedError);
      expect((record.error as Error).message).toBe("Forgetful has streamRequestBody set but does not define dataReceived");
    } finally {
      await server.close();
    }
  });
});
