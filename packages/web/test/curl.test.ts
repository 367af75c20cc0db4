/**
 * curl as the peer: a plain GET, a form POST, and a multipart upload (curl -F) streamed
 * through MultipartParser to disk.
 */

import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MultipartParser } from "@tornado/httputil";
import { RequestHandler, streamRequestBody } from "@tornado/web";
import { LogCapture, startApp, type TestServer } from "./support";

const hasCurl = spawnSync("curl", ["--version"], { stdio: "ignore" }).status === 0;
const maybe = hasCurl ? describe : describe.skip;
if (!hasCurl) it.skip("skipped: curl is not installed (apt-get install curl)", () => undefined);

function curl(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("curl", ["-s", "--max-time", "10", ...args], (error, stdout) => (error !== null ? reject(error as Error) : resolve(stdout)));
  });
}

maybe("with curl", () => {
  const logs = new LogCapture();
  let server: TestServer;
  let dir: string;

  class Hello extends RequestHandler {
    override get() {
      this.write("Hello, Tornado!");
    }
    override post() {
      this.write({ name: this.getBodyArgument("name"), all: this.getArguments("name") });
    }
  }

  @streamRequestBody
  class Upload extends RequestHandler {
    parser!: MultipartParser;
    override prepare() {
      this.parser = MultipartParser.fromRequest(this.request, { uploadDir: dir });
    }
    override dataReceived(chunk: Buffer) {
      return this.parser.write(chunk);
    }
    override async post() {
      await this.parser.end();
      const [file] = this.parser.files.upload;
      this.write({ title: this.parser.fields.title, filename: file.filename, type: file.contentType, content: readFileSync(file.path, "utf8") });
      await this.parser.cleanup();
    }
  }

  beforeAll(async () => {
    logs.start();
    dir = mkdtempSync(join(tmpdir(), "web-curl-"));
    server = await startApp([["/", Hello], ["/upload", Upload]]);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    logs.stop();
  });

  it("GETs hello world", async () => {
    const output = await curl(["-i", `http://127.0.0.1:${server.port}/`]);
    expect(output).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(output.endsWith("\r\n\r\nHello, Tornado!")).toBe(true);
  });

  it("POSTs a form", async () => {
    const output = await curl(["-d", "name=a%20b", `http://127.0.0.1:${server.port}/?name=q`]);
    expect(JSON.parse(output)).toEqual({ name: "a b", all: ["q", "a b"] });
  });

  it("uploads a file with -F, streamed to disk", async () => {
    const source = join(dir, "source.txt");
    writeFileSync(source, "line one\r\n--not a boundary\r\n".repeat(2000));
    const output = await curl(["-F", "title=hello", "-F", `upload=@${source};type=text/plain`, `http://127.0.0.1:${server.port}/upload`]);
    const result = JSON.parse(output);
    expect(result).toMatchObject({ title: ["hello"], filename: "source.txt", type: "text/plain" });
    expect(result.content).toBe(readFileSync(source, "utf8"));
  });
});
