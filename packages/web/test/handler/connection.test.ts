/**
 * The handler and the connection: detach, keep-alive, unknown methods, backpressured
 * streaming output, Content-Length mismatches, client closes, and Accept-Language with
 * loaded translations. Ported from web_test.py IncorrectContentLengthTest, ClientCloseTest,
 * AcceptLanguageTest, plus Tornado's detach and 405 behaviour.
 */

import * as net from "node:net";
import { join } from "node:path";
import { RequestHandler } from "@tornado/web";
import { loadTranslations, resetTranslations } from "../../src/locale/translations";
import { LogCapture, LogLevel, startApp, waitFor, type TestServer } from "../support";

const logs = new LogCapture();
beforeAll(() => logs.start());
afterAll(() => logs.stop());

class DetachHandler extends RequestHandler {
  override get() {
    const { socket } = this.detach();
    socket.end("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\ndetached");
  }
}

class BigHandler extends RequestHandler {
  override async get() {
    const chunk = Buffer.alloc(64 * 1024, "x");
    for (let i = 0; i < 64; i++) {
      this.write(chunk);
      await this.flush();
    }
  }
}

class WrongLengthHandler extends RequestHandler {
  override get() {
    if (this.getArgument("high", null)) {
      this.setHeader("Content-Length", "42");
      void this.finish("ok");
    } else {
      this.setHeader("Content-Length", "2");
      void this.finish("hello");
    }
  }
}

class ClientCloseHandler extends RequestHandler {
  override get() {
    // Tornado closes request.connection.stream; the contract's way to reach the socket is detach().
    this.request.connection!.detach().socket.destroy();
    clientClose.push("closed");
    this.write("hello");
    void this.finish();
  }
}
const clientClose: string[] = [];

class LanguageHandler extends RequestHandler {
  override get() {
    this.setHeader("Content-Language", this.locale.code.replace("_", "-"));
    this.write(this.locale.translate("school"));
  }
}

describe("handler and connection", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startApp([
      ["/detach", DetachHandler],
      ["/big", BigHandler],
      ["/wrong_length", WrongLengthHandler],
      ["/client_close", ClientCloseHandler],
      ["/language", LanguageHandler],
      ["/hello", class extends RequestHandler {
        override get() {
          this.write("hi");
        }
      }],
    ]);
  });
  afterAll(() => server.close());

  it("detach() hands the socket over", async () => {
    const raw = await server.raw("GET /detach HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    expect(raw).toBe("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\ndetached");
  });

  it("serves several requests on one kept-alive connection", async () => {
    const raw = await server.raw(
      "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    expect(raw.match(/HTTP\/1\.1 200 OK/g)?.length).toBe(2);
    expect(raw.endsWith("\r\n\r\nhi")).toBe(true);
  });

  it("answers 405 for an unknown method token", async () => {
    const raw = await server.raw("FOO /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    expect(raw.startsWith("HTTP/1.1 405 Method Not Allowed\r\n")).toBe(true);
  });

  it("streams a large body with flush() backpressure", async () => {
    const response = await server.fetch("/big");
    expect(response.body.length).toBe(64 * 64 * 1024);
    expect(response.headers["transfer-encoding"]).toBe("chunked");
  });

  it("logs a Content-Length mismatch instead of crashing (IncorrectContentLengthTest)", async () => {
    logs.clear();
    logs.expect(/^Uncaught exception GET \/wrong_length/);
    await expect(server.fetch("/wrong_length?high=1")).rejects.toThrow();
    const logged = (pattern: RegExp) => logs.records.some((r) => pattern.test(String((r.error as Error | undefined)?.message)));
    await waitFor(() => logged(/Tried to write 40 bytes less than Content-Length/));
    await server.fetch("/wrong_length").catch(() => undefined);
    await waitFor(() => logged(/Tried to write more data than Content-Length/));
    expect((await server.fetch("/hello")).text).toBe("hi");
  });

  it("survives writing after the client is gone (ClientCloseTest)", async () => {
    await expect(server.fetch("/client_close")).rejects.toThrow();
    await waitFor(() => clientClose.length === 1);
    expect((await server.fetch("/hello")).text).toBe("hi");
  });

  it("cuts a response short visibly when the handler fails after flush(): no terminating chunk, the connection closes", async () => {
    class FailAfterFlush extends RequestHandler {
      override async get() {
        this.write("partial");
        await this.flush();
        throw new Error("failed after flush");
      }
    }
    class Hello extends RequestHandler {
      override get() {
        this.write("hello");
      }
    }
    const failing = await startApp([["/", FailAfterFlush], ["/hello", Hello]]);
    try {
      logs.clear();
      logs.expect(/^Uncaught exception GET \/ /);
      const text = await failing.raw("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(text).toMatch(/\r\n\r\n7\r\npartial\r\n$/);
      expect(logs.records.filter((r) => r.level >= LogLevel.ERROR).map((r) => r.message)).toEqual([expect.stringMatching(/^Uncaught exception GET \/ /)]);
      expect(logs.matching(/Cannot send error response after headers written: closing the connection/, LogLevel.WARNING)).toHaveLength(1);
      expect((await failing.fetch("/hello")).text).toBe("hello");
    } finally {
      await failing.close();
    }
  });

  it("calls onConnectionClose only for handlers that define it, without leaking", async () => {
    const socket = net.connect(server.port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.destroy();
    expect((await server.fetch("/hello")).text).toBe("hi");
  });

  it("logs no error when the client leaves before an async handler answers", async () => {
    let started = false;
    let wrote = false;
    class Slow extends RequestHandler {
      override async get() {
        started = true;
        await new Promise((resolve) => setTimeout(resolve, 100));
        this.write("late");
        wrote = true;
      }
    }
    const slow = await startApp([["/", Slow]]);
    try {
      logs.clear();
      const socket = net.connect(slow.port, "127.0.0.1");
      socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      await waitFor(() => started);
      socket.destroy();
      await waitFor(() => wrote);
      await waitFor(() => logs.records.some((r) => r.name === "tornado.access"));
      expect(logs.records.filter((r) => r.level >= LogLevel.ERROR)).toEqual([]);
    } finally {
      await slow.close();
    }
  });

  describe("AcceptLanguageTest (fr_FR CSV loaded)", () => {
    beforeAll(() => loadTranslations(join(__dirname, "..", "fixtures", "csv_translations")));
    afterAll(() => resetTranslations());

    it.each([
      ["fr-FR;q=0.9", "fr-FR", "école"],
      ["fr-FR; q=0.9", "fr-FR", "école"],
      ["fr-FR;q=0", "en-US", "school"],
      ["fr-FR;q=-1", "en-US", "school"],
      ["en-US;q=0.5, fr-FR;q=0.9", "fr-FR", "école"],
    ])("%s -> %s", async (header, code, text) => {
      const response = await server.fetch("/language", { headers: { "Accept-Language": header } });
      expect(response.headers["content-language"]).toBe(code);
      expect(response.text).toBe(text);
    });
  });

  it("logs nothing at error level for the normal cases above", () => {
    const unexpected = logs.records.filter(
      (r) => r.level >= LogLevel.ERROR && r.name !== "tornado.access" && !/wrong_length|client_close|Cannot send error response after headers written/.test(r.message),
    );
    expect(unexpected).toEqual([]);
  });
});
