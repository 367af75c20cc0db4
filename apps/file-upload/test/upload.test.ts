import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { postFiles, putFiles } from "../src/file-uploader";
import { LIMITS, useReceiver, waitFor } from "./helpers";

const receiver = useReceiver();
let sources: string;

beforeAll(async () => {
  sources = await mkdtemp(join(tmpdir(), "file-upload-sources-"));
});
afterAll(async () => {
  await rm(sources, { recursive: true, force: true });
});

async function source(name: string, content: Buffer | string): Promise<string> {
  const path = join(sources, name);
  await writeFile(path, content);
  return path;
}

/** Sends raw bytes and resolves with everything the server answered before closing. */
function raw(request: string | Buffer, options: { endAfter?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(receiver.server.port, "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString("latin1");
      if (options.endAfter !== false && /\r\n\r\n/.test(answer) && /^HTTP\/1\.1 [0-9]{3}/.test(answer)) socket.end();
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(answer));
    socket.write(request);
  });
}

describe("POST /post (multipart)", () => {
  it("lists each file's field, name, size and content type, as the uploader sends them", async () => {
    const text = await source("notes.txt", "hello\n");
    const binary = await source("photo.png", randomBytes(50_000));
    const response = await postFiles(receiver.client, receiver.url, [text, binary]);
    expect(response.code).toBe(200);
    expect(JSON.parse(response.text)).toEqual({
      files: [
        { field: "notes.txt", filename: "notes.txt", contentType: "text/plain", size: 6 },
        { field: "photo.png", filename: "photo.png", contentType: "image/png", size: 50_000 },
      ],
    });
    expect(await receiver.files()).toEqual([]); // POST stores nothing
  });

  it("answers a browser with an HTML table, file names escaped", async () => {
    const boundary = "b0undary";
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="<img src=x onerror=alert(1)>.txt"\r\n` +
      `Content-Type: text/plain\r\n\r\nhi\r\n--${boundary}--\r\n`;
    const response = await receiver.client.fetch(`${receiver.url}/post`, {
      method: "POST",
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}`, Accept: "text/html" },
      body,
    });
    expect(response.headers.get("Content-Type")).toBe("text/html; charset=UTF-8");
    expect(response.text).toContain("<td>file</td><td>&lt;img src=x onerror=alert(1)&gt;.txt</td><td>text/plain</td><td class=\"number\">2</td>");
    expect(response.text).not.toContain("<img");
  });

  it("refuses a body over the POST limit with 413, before reading it", async () => {
    const answer = await raw(
      `POST /post HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: ${LIMITS.maxPostSize + 1}\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  });

  it("answers 400 to a malformed multipart body", async () => {
    const response = await receiver.client.fetch(`${receiver.url}/post`, {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=b" },
      body: "--b\r\nContent-Disposition: form-data\r\n\r\nno name and no end",
      raiseError: false,
    });
    expect(response.code).toBe(400);
  });
});

describe("PUT /<name> (streamed)", () => {
  afterEach(async () => {
    for (const name of await receiver.files()) await rm(join(receiver.uploadDir, name), { force: true });
  });

  it("stores the body byte for byte: 201 when new, 200 when replaced", async () => {
    const content = randomBytes(700_000);
    const path = await source("data.bin", content);
    const [created] = await putFiles(receiver.client, receiver.url, [path]);
    expect(created.code).toBe(201);
    expect(JSON.parse(created.text)).toEqual({ name: "data.bin", size: 700_000, contentType: "application/octet-stream" });
    expect((await readFile(join(receiver.uploadDir, "data.bin"))).equals(content)).toBe(true);
    const replacement = await source("data.bin", "short");
    const [replaced] = await putFiles(receiver.client, receiver.url, [replacement]);
    expect(replaced.code).toBe(200);
    expect(await readFile(join(receiver.uploadDir, "data.bin"), "utf8")).toBe("short");
    expect(await receiver.files()).toEqual(["data.bin"]);
  });

  it("takes a chunked body, and names with spaces and non-ASCII letters", async () => {
    const response = await receiver.client.fetch(`${receiver.url}/${encodeURIComponent("résumé 2026.txt")}`, {
      method: "PUT",
      headers: { "Content-Type": "text/plain" },
      bodyProducer: async (write) => {
        for (let i = 0; i < 10; i++) await write(`line ${i}\n`);
      },
    });
    expect(response.code).toBe(201);
    expect(await readFile(join(receiver.uploadDir, "résumé 2026.txt"), "utf8")).toBe(
      Array.from({ length: 10 }, (_, i) => `line ${i}\n`).join(""),
    );
  });

  it.each([
    ["..%2Fescaped.txt", "the file name contains a path separator"],
    ["..%5Cescaped.txt", "the file name contains a path separator"],
    ["%2E%2E", "the file name starts with a dot"],
    [".hidden", "the file name starts with a dot"],
    [".data.bin.0123.part", "the file name starts with a dot"],
    ["nul%00.txt", "the file name contains a control character"],
    ["new%0Aline", "the file name contains a control character"],
    ["sub/dir.txt", "the file name contains a path separator"],
    ["%2Fetc%2Fpasswd", "the file name contains a path separator"],
    ["x".repeat(256), "the file name is longer than 255 bytes"],
  ])("refuses the name %s with 400 and writes nothing anywhere", async (name, problem) => {
    // Raw bytes: a client's URL parser would resolve "/%2E%2E" to "/" before sending it.
    const answer = await raw(`PUT /${name} HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\nConnection: close\r\n\r\npayload`, { endAfter: false });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4))).toEqual({ status: 400, error: problem });
    expect(await receiver.files()).toEqual([]);
    expect((await readdir(receiver.root)).sort()).toEqual(["uploads"]);
  });

  it("refuses a declared Content-Length over the limit with 413 and leaves no file", async () => {
    const answer = await raw(`PUT /big.bin HTTP/1.1\r\nHost: x\r\nContent-Length: ${LIMITS.maxFileSize + 1}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    await waitFor(async () => (await receiver.files()).length === 0);
  });

  it("stops a chunked body that grows over the limit, removes the partial file, and keeps serving", async () => {
    const outcome = await receiver.client
      .fetch(`${receiver.url}/growing.bin`, {
        method: "PUT",
        bodyProducer: async (write) => {
          const chunk = Buffer.alloc(64 * 1024, 1);
          for (let sent = 0; sent <= LIMITS.maxFileSize; sent += chunk.length) await write(chunk);
        },
        raiseError: false,
      })
      .then(
        (response) => response.code,
        () => "reset",
      );
    // The server answers 413 and closes while the client is still sending: the client reads
    // the 413, or the reset comes first and takes the answer with it (TCP discards it).
    expect([413, "reset"]).toContain(outcome);
    await waitFor(async () => (await receiver.files()).length === 0);
    const [after] = await putFiles(receiver.client, receiver.url, [await source("after.txt", "still here")]);
    expect(after.code).toBe(201);
  });

  it("removes the partial file when the client goes away mid-upload", async () => {
    const socket = connect(receiver.server.port, "127.0.0.1");
    socket.write(`PUT /abandoned.bin HTTP/1.1\r\nHost: x\r\nContent-Length: 500000\r\n\r\n`);
    socket.write(Buffer.alloc(200_000, 7));
    await waitFor(async () => (await receiver.files()).some((name) => name.startsWith(".abandoned.bin.")));
    socket.destroy();
    await waitFor(async () => (await receiver.files()).length === 0);
  });

  it("answers 405 to other methods on a file name", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      const answer = await receiver.client.fetch(`${receiver.url}/notes.txt`, { method, body: method === "POST" ? "x" : undefined, raiseError: false });
      expect(answer.code).toBe(405);
    }
  });
});
