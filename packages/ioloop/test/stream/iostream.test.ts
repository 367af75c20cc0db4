// Port of tornado/test/iostream_test.py (TestReadWriteMixin, TestIOStreamMixin), run once over
// TCP and once over TLS, on real loopback sockets.
import { createHash, randomBytes } from "node:crypto";
import type * as net from "node:net";
import {
  IOStream,
  LogLevel,
  StreamBufferFullError,
  StreamClosedError,
  UnsatisfiableReadError,
} from "../../src/index";
import { RESOLVED } from "@tornado/util";
import { closedPromise, makeStreamPair, sleep, type Transport } from "../stream-pair";
import { captureLogs } from "../loop-helpers";



/**
 * Resolves once the stream's socket has emitted `count` bytes. IOStream's own 'data' listener
 * was added first, so by then the bytes are in the stream's buffer (no sleeping on timing).
 */
function bytesArrived(stream: IOStream, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen < count) return;
      stream.socket.off("data", onData);
      resolve();
    };
    stream.socket.on("data", onData);
  });
}

// Over TCP a small write leaves nothing in the socket's buffer (TLS keeps it until encrypted).
it("returns @tornado/util's RESOLVED for a write the TCP socket took at once, which callers recognise", async () => {
  const [rs, ws] = await makeStreamPair("TCP");
  try {
    expect(ws.write("small")).toBe(RESOLVED);
    expect((await rs.readBytes(5)).toString()).toBe("small");
  } finally {
    rs.close();
    ws.close();
  }
});

describe.each<Transport>(["TCP", "TLS"])("IOStream over %s", (transport) => {
  let streams: IOStream[] = [];
  async function pair(options = {}): Promise<[IOStream, IOStream]> {
    const [rs, ws] = await makeStreamPair(transport, options);
    streams.push(rs, ws);
    return [rs, ws];
  }
  afterEach(() => {
    for (const stream of streams) stream.close();
    streams = [];
  });

  it("writes zero bytes", async () => {
    const [, ws] = await pair();
    await ws.write(Buffer.alloc(0));
    await ws.write("");
  });

  it("reads buffered bytes after the writer closed (delayed close callback)", async () => {
    const [rs, ws] = await pair();
    await ws.write("12");
    const first = await rs.readBytes(1);
    ws.close();
    const second = await rs.readBytes(1);
    expect([first.toString(), second.toString()]).toEqual(["1", "2"]);
  });

  it("drains buffered data before reporting the close", async () => {
    const [rs, ws] = await pair({ readChunkSize: 256 });
    await ws.write(Buffer.alloc(512, "A"));
    expect((await rs.readBytes(256)).toString()).toBe("A".repeat(256));
    ws.close();
    await sleep(10);
    expect((await rs.readBytes(256)).toString()).toBe("A".repeat(256));
  });

  it("readUntilClose after close returns the rest", async () => {
    const [rs, ws] = await pair();
    await ws.write("1234");
    expect((await rs.readBytes(1)).toString()).toBe("1");
    ws.close();
    expect((await rs.readUntilClose()).toString()).toBe("234");
    // Also resolves when the stream is already closed.
    await closedPromise(rs);
    expect((await rs.readUntilClose()).length).toBe(0);
  });

  it("reads a 4 MiB readUntil without quadratic cost", async () => {
    const [rs, ws] = await pair();
    const kb = Buffer.alloc(1024, "A");
    for (let i = 0; i < 4096; i++) void ws.write(kb);
    void ws.write("\r\n");
    const data = await rs.readUntil("\r\n");
    expect(data.length).toBe(4096 * 1024 + 2);
  });

  it("readUntil with close after the second packet", async () => {
    const [rs, ws] = await pair();
    const read = rs.readUntil("done");
    await sleep(20);
    await ws.write(Buffer.alloc(2048, "x"));
    void ws.write("done");
    ws.close();
    expect((await read).length).toBe(2052);
  });

  it("unsatisfied readUntil after close rejects with StreamClosedError", async () => {
    const [rs, ws] = await pair();
    const read = rs.readUntil("done");
    await ws.write(Buffer.alloc(2048, "x"));
    void ws.write("foo");
    ws.close();
    await expect(read).rejects.toBeInstanceOf(StreamClosedError);
  });

  it("runs the close callback with a pending read", async () => {
    const [rs, ws] = await pair();
    const closed = closedPromise(rs);
    await ws.write("OK\r\n");
    expect((await rs.readUntil("\r\n")).toString()).toBe("OK\r\n");
    ws.close();
    const pending = rs.readUntil("\r\n");
    await closed;
    await expect(pending).rejects.toBeInstanceOf(StreamClosedError);
    expect(rs.closed()).toBe(true);
  });

  it("runs a close callback set after the close", async () => {
    const [rs, ws] = await pair();
    ws.close();
    await expect(rs.readBytes(1)).rejects.toBeInstanceOf(StreamClosedError);
    await closedPromise(rs);
  });

  it("writes a Uint8Array view", async () => {
    const [rs, ws] = await pair();
    const read = rs.readBytes(4);
    const bytes = new TextEncoder().encode("hello");
    void ws.write(bytes);
    expect((await read).toString()).toBe("hell");
  });

  it("readBytes with partial", async () => {
    const [rs, ws] = await pair();
    let read = rs.readBytes(50, true);
    void ws.write("hello");
    expect((await read).toString()).toBe("hello");
    read = rs.readBytes(3, true);
    void ws.write("world");
    expect((await read).toString()).toBe("wor");
    expect((await rs.readBytes(0, true)).length).toBe(0);
    expect((await rs.readBytes(2)).toString()).toBe("ld");
  });

  it("readUntil with maxBytes", async () => {
    const [rs, ws] = await pair();
    const closed = closedPromise(rs);
    let read = rs.readUntil("def", 50);
    void ws.write("abcdef");
    expect((await read).toString()).toBe("abcdef");
    read = rs.readUntil("def", 6);
    void ws.write("abcdef");
    expect((await read).toString()).toBe("abcdef");
    const logs = captureLogs();
    try {
      read = rs.readUntil("def", 5);
      void ws.write("123456");
      await closed;
    } finally {
      logs.restore();
    }
    const error = await read.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamClosedError);
    expect((error as StreamClosedError).realError).toBeInstanceOf(UnsatisfiableReadError);
    expect(rs.error).toBeInstanceOf(UnsatisfiableReadError);
    expect(logs.records.map((r) => [r.name, r.level])).toEqual([["tornado.general", LogLevel.INFO]]);
    expect(logs.records[0]?.message).toMatch(/^Unsatisfiable read, closing connection/);
  });

  it("readUntil with maxBytes, satisfied inline", async () => {
    const [rs, ws] = await pair();
    const closed = closedPromise(rs);
    await ws.write("123456");
    await sleep(20);
    const logs = captureLogs();
    try {
      await expect(rs.readUntil("def", 5)).rejects.toBeInstanceOf(StreamClosedError);
      await closed;
    } finally {
      logs.restore();
    }
    expect(logs.records[0]?.message).toMatch(/Unsatisfiable read/);
  });

  it("readUntil with maxBytes ignores a match beyond the limit", async () => {
    const [rs, ws] = await pair();
    const closed = closedPromise(rs);
    await ws.write("abcdef");
    const logs = captureLogs();
    try {
      await expect(rs.readUntil("def", 5)).rejects.toBeInstanceOf(StreamClosedError);
      await closed;
    } finally {
      logs.restore();
    }
    expect(logs.records[0]?.message).toMatch(/Unsatisfiable read/);
  });

  it("readUntilRegex with maxBytes", async () => {
    const [rs, ws] = await pair();
    const closed = closedPromise(rs);
    let read = rs.readUntilRegex(/def/, 50);
    void ws.write("abcdef");
    expect((await read).toString()).toBe("abcdef");
    read = rs.readUntilRegex(/def/, 6);
    void ws.write("abcdef");
    expect((await read).toString()).toBe("abcdef");
    const logs = captureLogs();
    try {
      read = rs.readUntilRegex(/def/, 5);
      void ws.write("123456");
      await closed;
      await expect(read).rejects.toBeInstanceOf(StreamClosedError);
    } finally {
      logs.restore();
    }
    expect(logs.records[0]?.message).toMatch(/Unsatisfiable read/);
  });

  it("readUntilRegex with maxBytes ignores a match beyond the limit", async () => {
    const [rs, ws] = await pair();
    const closed = closedPromise(rs);
    await ws.write("abcdef");
    const logs = captureLogs();
    try {
      await sleep(10);
      await expect(rs.readUntilRegex(/def/, 5)).rejects.toBeInstanceOf(StreamClosedError);
      await closed;
    } finally {
      logs.restore();
    }
  });

  it("readUntilRegex ignores g and y flags and matches across chunks", async () => {
    const [rs, ws] = await pair();
    const regex = /\r?\n\r?\n/g;
    regex.lastIndex = 99;
    const read = rs.readUntilRegex(regex);
    await ws.write("GET / HTTP/1.1\r\nHost: x\r");
    await sleep(10);
    await ws.write("\n\r\nbody");
    expect((await read).toString()).toBe("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    expect((await rs.readBytes(4)).toString()).toBe("body");
  });

  it("small reads from a large buffer", async () => {
    const [rs, ws] = await pair({ maxBufferSize: 10 * 1024 });
    void ws.write(Buffer.alloc(100 * 1024, "a"));
    for (let i = 0; i < 100; i++) {
      expect((await rs.readBytes(1024)).equals(Buffer.alloc(1024, "a"))).toBe(true);
    }
  });

  it("small readUntils from a large buffer", async () => {
    const [rs, ws] = await pair({ maxBufferSize: 10 * 1024 });
    const line = Buffer.concat([Buffer.alloc(1023, "a"), Buffer.from("\n")]);
    void ws.write(Buffer.concat(Array.from({ length: 100 }, () => line)));
    for (let i = 0; i < 100; i++) {
      expect((await rs.readUntil("\n", 4096)).equals(line)).toBe(true);
    }
  });

  it("flow control: the reader pauses and reads gradually", async () => {
    const MB = 1024 * 1024;
    const [rs, ws] = await pair({ maxBufferSize: 5 * MB });
    const written = ws.write(Buffer.alloc(10 * MB, "a"));
    await rs.readBytes(MB);
    await sleep(100);
    expect(ws.writing()).toBe(true);
    for (let i = 0; i < 9; i++) await rs.readBytes(MB);
    await written;
  });

  it("a read that needs more than maxBufferSize closes with StreamBufferFullError", async () => {
    const [rs, ws] = await pair({ maxBufferSize: 64 * 1024 });
    const logs = captureLogs(/^Reached maximum read buffer size$/);
    try {
      const read = rs.readBytes(1024 * 1024);
      void ws.write(Buffer.alloc(1024 * 1024));
      const error = await read.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StreamClosedError);
      expect((error as StreamClosedError).realError).toBeInstanceOf(StreamBufferFullError);
      expect(rs.closed()).toBe(true);
    } finally {
      logs.restore();
    }
    expect(logs.records.some((r) => /Reached maximum read buffer size/.test(r.message))).toBe(true);
  });

  it("readInto", async () => {
    const [rs, ws] = await pair();
    let buffer = Buffer.alloc(10);
    let read = rs.readInto(buffer);
    void ws.write("hello");
    await sleep(20);
    expect(rs.reading()).toBe(true);
    void ws.write("world!!");
    expect(await read).toBe(10);
    expect(rs.reading()).toBe(false);
    expect(buffer.toString()).toBe("helloworld");

    read = rs.readInto(buffer);
    await sleep(20);
    expect(rs.reading()).toBe(true);
    void ws.write("1234567890");
    expect(await read).toBe(10);
    expect(buffer.toString()).toBe("!!12345678");

    buffer = Buffer.alloc(4);
    await ws.write("abcdefghi");
    await sleep(20);
    expect(await rs.readInto(buffer)).toBe(4);
    expect(buffer.toString()).toBe("90ab");
    expect((await rs.readBytes(7)).toString()).toBe("cdefghi");
  });

  it("readInto with partial", async () => {
    const [rs, ws] = await pair();
    const buffer = Buffer.alloc(10);
    const read = rs.readInto(buffer, true);
    void ws.write("hello");
    expect(await read).toBe(5);
    expect(rs.reading()).toBe(false);
    expect(buffer.toString("latin1")).toBe("hello\0\0\0\0\0");
    await ws.write("world!1234567890");
    await sleep(20);
    expect(await rs.readInto(buffer, true)).toBe(10);
    expect(buffer.toString()).toBe("world!1234");
    expect(await rs.readInto(buffer, true)).toBe(6);
    expect(buffer.toString()).toBe("5678901234");
  });

  it("readInto zero bytes resolves at once", async () => {
    const [rs] = await pair();
    expect(await rs.readInto(Buffer.alloc(0))).toBe(0);
  });

  it("many mixed reads keep every byte in order", async () => {
    const [rs, ws] = await pair();
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const total = 1_000_000;
    const produced = createHash("sha1");
    const consumed = createHash("sha1");
    const produce = async (): Promise<void> => {
      for (let remaining = total; remaining > 0; ) {
        const size = 1 + Math.floor(random() * Math.min(1000, remaining));
        const data = randomBytes(size);
        produced.update(data);
        await ws.write(data);
        remaining -= size;
      }
    };
    const consume = async (): Promise<void> => {
      for (let remaining = total; remaining > 0; ) {
        const size = 1 + Math.floor(random() * Math.min(1000, remaining));
        if (random() > 0.5) {
          consumed.update(await rs.readBytes(size));
        } else {
          const buffer = Buffer.alloc(size);
          expect(await rs.readInto(buffer)).toBe(size);
          consumed.update(buffer);
        }
        remaining -= size;
      }
    };
    await Promise.all([produce(), consume()]);
    expect(consumed.digest("hex")).toBe(produced.digest("hex"));
  });

  it("finds delimiters that span chunk boundaries", async () => {
    const [rs, ws] = await pair();
    rs.setNodelay(true);
    ws.setNodelay(true);
    const read = rs.readUntil("\r\n\r\n");
    for (const piece of ["abc\r", "\n", "\r", "\nrest"]) {
      await ws.write(piece);
      await sleep(5);
    }
    expect((await read).toString()).toBe("abc\r\n\r\n");
    expect((await rs.readBytes(4)).toString()).toBe("rest");
  });

  it("returns a zero-copy view when the result lies in one chunk", async () => {
    const [rs, ws] = await pair();
    await ws.write("line one\r\nline two\r\n");
    const first = await rs.readUntil("\r\n");
    const second = await rs.readUntil("\r\n");
    expect(second.toString()).toBe("line two\r\n");
    expect(first.buffer).toBe(second.buffer);
  });

  it("allows one read at a time", async () => {
    const [rs, ws] = await pair();
    await ws.write("ab|cd;");
    expect((await rs.readUntil(";")).toString()).toBe("ab|cd;");
    const pending = rs.readBytes(1);
    expect(() => rs.readUntil("|")).toThrow(/Already reading/);
    expect(rs.reading()).toBe(true);
    // The refused call did not change what the next readUntil("|") searches for.
    await ws.write("x|y");
    expect((await pending).toString()).toBe("x");
    expect((await rs.readUntil("|")).toString()).toBe("|");
  });

  it("validates arguments", async () => {
    const [rs] = await pair();
    expect(() => rs.readBytes(-1)).toThrow(/numBytes must be a non-negative integer, got -1/);
    expect(() => rs.readUntil("")).toThrow(/delimiter must not be empty/);
    expect(() => rs.readUntil("x", 1.5)).toThrow(/maxBytes/);
    expect(() => rs.readUntil("x", -5)).toThrow(/maxBytes must be a non-negative integer of bytes, got -5/);
    expect(() => new IOStream({} as net.Socket)).toThrow(/socket must be a net.Socket/);
  });

  it("read and write on a closed stream reject with StreamClosedError", async () => {
    const [rs] = await pair();
    rs.close();
    await expect(rs.readBytes(1)).rejects.toBeInstanceOf(StreamClosedError);
    await expect(rs.write("x")).rejects.toBeInstanceOf(StreamClosedError);
    expect(rs.closed()).toBe(true);
  });

  it("close with pending read rejects it (future close while reading)", async () => {
    const [rs, ws] = await pair();
    const read = rs.readBytes(1024 * 1024 * 1024);
    await ws.write("x");
    rs.close();
    await expect(read).rejects.toBeInstanceOf(StreamClosedError);
  });

  it("readUntilClose collects everything", async () => {
    const [rs, ws] = await pair();
    const read = rs.readUntilClose();
    await ws.write("hello ");
    await ws.write("world");
    ws.close();
    expect((await read).toString()).toBe("hello world");
  });

  it("write resolves in order and writing() reflects unsent data", async () => {
    const [rs, ws] = await pair();
    const order: number[] = [];
    const writes = [1, 2, 3].map((i) => ws.write(`${i}`).then(() => order.push(i)));
    await Promise.all(writes);
    expect(order).toEqual([1, 2, 3]);
    expect(ws.writing()).toBe(false);
    expect((await rs.readBytes(3)).toString()).toBe("123");
  });

  it("maxWriteBufferSize rejects writes with StreamBufferFullError", async () => {
    const [, ws] = await makeStreamPair(transport, { maxWriteBufferSize: 1024 * 1024 });
    streams.push(ws);
    // Fill the kernel buffers first; nothing reads on the other side.
    const writes: Promise<void>[] = [];
    let error: unknown;
    for (let i = 0; i < 200 && error === undefined; i++) {
      const write = ws.write(Buffer.alloc(512 * 1024));
      writes.push(write);
      write.catch((e: unknown) => {
        error = e;
      });
      await sleep(1);
    }
    expect(error).toBeInstanceOf(StreamBufferFullError);
  });

  it("a write to a peer that is gone rejects with StreamClosedError", async () => {
    const [rs, ws] = await pair();
    rs.close();
    await closedPromise(ws).catch(() => {});
    await expect(ws.write("x")).rejects.toBeInstanceOf(StreamClosedError);
  });

  it("never orphans write promises (10 concurrent producers clogging the socket)", async () => {
    const m = 5000;
    const n = 200;
    const producers = 10;
    const total = m * n * producers;
    const [rs, ws] = await pair({ maxBufferSize: total });
    const data = Buffer.alloc(m, "x");
    const produce = async (): Promise<void> => {
      for (let i = 0; i < n; i++) await ws.write(data);
    };
    const consume = async (): Promise<void> => {
      for (let read = 0; read < total; ) read += (await rs.readBytes(m)).length;
    };
    await Promise.all([...Array.from({ length: producers }, produce), consume()]);
  });

  // resetAndDestroy (an RST) needs a plain TCP handle, which a TLSSocket does not expose.
  (transport === "TCP" ? it : it.skip)("closes quietly when the peer resets the connection (TCP only)", async () => {
    const [rs, ws] = await pair();
    const logs = captureLogs();
    try {
      const closed = closedPromise(rs);
      ws.socket.resetAndDestroy();
      await closed;
    } finally {
      logs.restore();
    }
    expect(logs.records).toEqual([]);
  });

  it("readChunks hands buffered bytes first, then each chunk as it arrives, in order", async () => {
    const [rs, ws] = await pair();
    const arrived = bytesArrived(rs, "buffered;".length);
    await ws.write("buffered;");
    await arrived;
    const received: string[] = [];
    rs.readChunks((chunk) => received.push(chunk.toString()));
    expect(received).toEqual(["buffered;"]);
    expect(rs.reading()).toBe(true);
    expect(() => rs.readBytes(1)).toThrow(/one pending read/);
    await ws.write("live");
    while (received.join("").length < "buffered;live".length) await sleep(5);
    expect(received.join("")).toBe("buffered;live");
  });

  it("readChunks pauses and resumes (synchronous delivery of what was buffered), many chunks in order", async () => {
    const [rs, ws] = await pair();
    let received = Buffer.alloc(0);
    let paused = false;
    rs.readChunks((chunk) => {
      expect(paused).toBe(false);
      received = Buffer.concat([received, chunk]);
      // Pause after every chunk; resumed on a later turn.
      paused = true;
      rs.pauseChunks();
      setImmediate(() => {
        paused = false;
        rs.resumeChunks();
      });
    });
    const data = randomBytes(512 * 1024);
    for (let offset = 0; offset < data.length; offset += 8192) void ws.write(data.subarray(offset, offset + 8192));
    while (received.length < data.length) await sleep(5);
    expect(received.equals(data)).toBe(true);
  });

  it("readChunks flow control: a paused consumer makes the socket pause at the high-water mark", async () => {
    const MB = 1024 * 1024;
    const [rs, ws] = await pair({ maxBufferSize: 5 * MB });
    let received = 0;
    rs.readChunks((chunk) => {
      received += chunk.length;
      rs.pauseChunks();
    });
    const written = ws.write(Buffer.alloc(10 * MB, "a"));
    await sleep(200);
    // The writer is held back (the reader buffers at most about its high-water mark).
    expect(ws.writing()).toBe(true);
    expect(received).toBeLessThan(MB);
    const drain = async (): Promise<void> => {
      while (received < 10 * MB) {
        rs.resumeChunks();
        await sleep(1);
      }
    };
    await Promise.all([drain(), written]);
    expect(received).toBe(10 * MB);
  });

  it("readChunks ends at close and detach; a throwing consumer closes the stream", async () => {
    const [rs, ws] = await pair();
    rs.readChunks(() => {});
    expect(() => rs.readChunks(() => {})).toThrow(/one pending read/);
    ws.close();
    await closedPromise(rs);
    expect(rs.reading()).toBe(false);
    expect(() => rs.readChunks(() => {})).toThrow(StreamClosedError);
    expect(() => (rs as unknown as { readChunks(x: unknown): void }).readChunks(42)).toThrow(/onChunk must be a function, got number/);

    const [rs2, ws2] = await pair();
    rs2.readChunks(() => {});
    rs2.pauseChunks();
    const arrived = bytesArrived(rs2, "kept".length);
    await ws2.write("kept");
    await arrived;
    const { buffered, socket } = rs2.detach();
    expect(buffered.toString()).toBe("kept");
    expect(rs2.reading()).toBe(false);
    socket.destroy();

    const [rs3, ws3] = await pair();
    const logs = captureLogs(/^Exception in readChunks consumer$/);
    try {
      rs3.readChunks(() => {
        throw new Error("consumer bug");
      });
      await ws3.write("x");
      await closedPromise(rs3);
      expect(rs3.error?.message).toBe("consumer bug");
      expect(logs.records.some((r) => r.message === "Exception in readChunks consumer")).toBe(true);
    } finally {
      logs.restore();
    }
  });

  it("detach hands over the socket and the unconsumed bytes", async () => {
    const [rs, ws] = await pair();
    await ws.write("HEAD\r\nextra bytes");
    expect((await rs.readUntil("\r\n")).toString()).toBe("HEAD\r\n");
    await sleep(10);
    let closeCallbackRan = false;
    rs.setCloseCallback(() => {
      closeCallbackRan = true;
    });
    const { socket, buffered } = rs.detach();
    expect(rs.closed()).toBe(true);
    expect(buffered.toString()).toBe("extra bytes");
    expect(socket.listenerCount("data")).toBe(0);
    const more = new Promise<Buffer>((resolve) => socket.once("data", resolve));
    await ws.write("after");
    expect((await more).toString()).toBe("after");
    socket.write("reply");
    expect((await ws.readBytes(5)).toString()).toBe("reply");
    socket.destroy();
    await sleep(10);
    expect(closeCallbackRan).toBe(false);
  });

  it("records the socket error as error and realError, logged as error on read", async () => {
    const [rs] = await pair();
    const read = rs.readBytes(1);
    const boom = Object.assign(new Error("boom"), { syscall: "read" });
    const logs = captureLogs();
    rs.socket.destroy(boom);
    const error = await read.catch((e: unknown) => e);
    logs.restore();
    expect(logs.records.map((r) => [r.level, r.message])).toEqual([[LogLevel.WARNING, "error on read: boom"]]);
    expect(error).toBeInstanceOf(StreamClosedError);
    expect((error as StreamClosedError).realError).toBe(boom);
    expect(rs.error).toBe(boom);
  });
});
