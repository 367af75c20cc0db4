/**
 * Hostile HTTP/2 clients (test/fixtures/h2_frames.py, frames and HPACK from python3-h2's
 * hyperframe and hpack): each attack gets the right error, on its stream or connection only,
 * and costs the server a bounded amount of work. Skipped, visibly, without python3-h2.
 */

import { execFile, spawnSync } from "node:child_process";
import { join } from "node:path";
import * as http2 from "node:http2";
import { HTTPHeaders, ResponseStartLine } from "@tornado/httputil";
import type { HTTPServerConnectionDelegate } from "../src/index";
import { startServer, withLogs } from "./helpers";
import { closeH2, connectH2, h2Request } from "./http2-helpers";

const PYTHON = "/usr/bin/python3";
const hasPythonH2 = spawnSync(PYTHON, ["-c", "import h2, hyperframe, hpack"]).status === 0;
const describeWithH2 = hasPythonH2 ? describe : describe.skip;

const { NGHTTP2_ENHANCE_YOUR_CALM, NGHTTP2_PROTOCOL_ERROR, NGHTTP2_REFUSED_STREAM } = http2.constants;

interface FrameEvent {
  frame: "HEADERS" | "DATA" | "RST_STREAM" | "GOAWAY" | "SENT" | "END";
  stream?: number;
  status?: number;
  code?: number;
  bytes?: number;
  frames?: number;
  closed?: boolean;
}

function attack(port: number, scenario: string): Promise<FrameEvent[]> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [join(__dirname, "fixtures", "h2_frames.py"), String(port), scenario], { timeout: 30000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${scenario}: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as FrameEvent[]);
    });
  });
}

/** What the application saw, per request path. */
class Recorder implements HTTPServerConnectionDelegate {
  readonly events: string[] = [];

  startRequest(_serverConnection: object, connection: Parameters<HTTPServerConnectionDelegate["startRequest"]>[1]) {
    let path = "";
    let bytes = 0;
    const events = this.events;
    return {
      headersReceived(startLine: { path: string }) {
        path = startLine.path;
      },
      dataReceived(chunk: Buffer) {
        bytes += chunk.length;
      },
      finish() {
        events.push(`${path} finish ${bytes}`);
        const body = Buffer.from("ok");
        void connection.writeHeaders(new ResponseStartLine("HTTP/1.1", 200, "OK"), new HTTPHeaders({ "Content-Length": "2" }), body);
        connection.finish();
      },
      onConnectionClose() {
        events.push(`${path} closed after ${bytes}`);
      },
    };
  }
}

const OPTIONS = { http2: { maxConcurrentStreams: 5 }, maxHeaderSize: 8192 } as const;

describeWithH2(hasPythonH2 ? "hostile HTTP/2 clients (python3-h2)" : "hostile HTTP/2 clients (skipped: /usr/bin/python3 has no h2 module)", () => {
  let recorder: Recorder;
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeEach(async () => {
    recorder = new Recorder();
    server = await startServer(recorder, OPTIONS);
  });
  afterEach(() => server.close());

  /** A well-behaved client on another connection is served meanwhile. */
  async function bystander(): Promise<void> {
    const session = await connectH2(server.port);
    try {
      expect((await h2Request(session, { ":path": "/bystander" })).body.toString()).toBe("ok");
    } finally {
      await closeH2(session);
    }
  }

  it("oversized headers: 431 before the client acknowledged our SETTINGS, RST_STREAM(ENHANCE_YOUR_CALM) after; the next stream is served", async () => {
    const { result: early, logs } = await withLogs(() => attack(server.port, "oversized-headers"));
    expect(early).toEqual([
      { frame: "HEADERS", stream: 1, status: 431 },
      { frame: "HEADERS", stream: 3, status: 200 },
      { frame: "DATA", stream: 3, bytes: 2 },
      { frame: "END", closed: false },
    ]);
    expect(logs.map((record) => record.message)).toEqual(["Malformed HTTP/2 request from 127.0.0.1: Header list too large"]);
    const acked = await attack(server.port, "oversized-headers-acked");
    expect(acked[0]).toEqual({ frame: "RST_STREAM", stream: 1, code: NGHTTP2_ENHANCE_YOUR_CALM });
    expect(acked.slice(1)).toEqual([
      { frame: "HEADERS", stream: 3, status: 200 },
      { frame: "DATA", stream: 3, bytes: 2 },
      { frame: "END", closed: false },
    ]);
    expect(recorder.events).toEqual(["/after finish 0", "/after finish 0"]);
  });

  it("too many streams: those over maxConcurrentStreams get RST_STREAM(REFUSED_STREAM), the first five are answered", async () => {
    const events = await attack(server.port, "too-many-streams");
    const refused = events.filter((event) => event.frame === "RST_STREAM");
    expect(refused).toHaveLength(15);
    expect(refused.every((event) => event.code === NGHTTP2_REFUSED_STREAM)).toBe(true);
    expect(events.filter((event) => event.frame === "HEADERS").map((event) => [event.stream, event.status])).toEqual([
      [1, 200],
      [3, 200],
      [5, 200],
      [7, 200],
      [9, 200],
    ]);
    expect(recorder.events.sort()).toEqual(["/s0", "/s1", "/s2", "/s3", "/s4"].map((path) => `${path} finish 1`));
    expect(events.at(-1)).toEqual({ frame: "END", closed: false });
  });

  it("a reset in the middle of a body: the delegate sees onConnectionClose, the connection serves on", async () => {
    const events = await attack(server.port, "reset-mid-body");
    expect(events).toEqual([
      { frame: "HEADERS", stream: 3, status: 200 },
      { frame: "DATA", stream: 3, bytes: 2 },
      { frame: "HEADERS", stream: 5, status: 200 },
      { frame: "DATA", stream: 5, bytes: 2 },
      { frame: "END", closed: false },
    ]);
    expect(recorder.events).toEqual(["/ping finish 0", "/upload closed after 1000", "/after finish 0"]);
  });

  it("a CONTINUATION flood (CVE-2024-27983, CVE-2024-28182) ends the connection with GOAWAY after a bounded number of frames", async () => {
    const { result: events, logs } = await withLogs(async () => {
      const flood = attack(server.port, "continuation-flood");
      await bystander();
      return flood;
    });
    expect(events[0]).toMatchObject({ frame: "GOAWAY" });
    const sent = events.find((event) => event.frame === "SENT")!;
    // The client could push frames only until the server closed: nghttp2 allows 8
    // CONTINUATION frames per header block; the rest is what sat in socket buffers.
    expect(sent.frames).toBeLessThan(200000);
    expect(events.at(-1)).toEqual({ frame: "END", closed: true });
    expect(logs.map((record) => record.message)).toContain(
      "HTTP/2 connection error from 127.0.0.1: Too many CONTINUATION frames following a HEADER frame",
    );
    expect(recorder.events).toEqual(["/bystander finish 0"]);
  });

  it("connection-specific fields and TE other than trailers: RST_STREAM(PROTOCOL_ERROR), other streams served", async () => {
    const events = await attack(server.port, "connection-header");
    expect(events).toEqual([
      { frame: "RST_STREAM", stream: 1, code: NGHTTP2_PROTOCOL_ERROR },
      { frame: "RST_STREAM", stream: 3, code: NGHTTP2_PROTOCOL_ERROR },
      { frame: "HEADERS", stream: 5, status: 200 },
      { frame: "DATA", stream: 5, bytes: 2 },
      { frame: "END", closed: false },
    ]);
    expect(recorder.events).toEqual(["/after finish 0"]);
  });

  it("an extended CONNECT (RFC 8441 WebSocket) is refused: SETTINGS_ENABLE_CONNECT_PROTOCOL is off", async () => {
    const events = await attack(server.port, "extended-connect");
    expect(events[0]).toEqual({ frame: "RST_STREAM", stream: 1, code: NGHTTP2_PROTOCOL_ERROR });
    expect(events.slice(1, 3)).toEqual([
      { frame: "HEADERS", stream: 3, status: 200 },
      { frame: "DATA", stream: 3, bytes: 2 },
    ]);
  });

  it("a request with neither :authority nor Host is malformed (RST_STREAM(PROTOCOL_ERROR))", async () => {
    const events = await attack(server.port, "no-authority");
    expect(events).toEqual([
      { frame: "RST_STREAM", stream: 1, code: NGHTTP2_PROTOCOL_ERROR },
      { frame: "END", closed: false },
    ]);
  });

  it("a rapid-reset flood (CVE-2023-44487) ends in GOAWAY; other connections are served", async () => {
    const { result: events } = await withLogs(() => attack(server.port, "rapid-reset"));
    expect(events.some((event) => event.frame === "GOAWAY")).toBe(true);
    // Streams reset before they were answered never reached onConnectionClose with a body.
    expect(recorder.events.every((event) => /^\/r\d+ (finish 0|closed after 0)$/.test(event))).toBe(true);
    await bystander();
  });
});
