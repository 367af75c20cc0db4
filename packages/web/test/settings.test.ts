/**
 * Application settings that change how handlers answer: transforms, jsonSerializer, debug's
 * template reloading (compiledTemplateCache: false) versus the default cache.
 */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HTTPHeaders } from "@tornado/httputil";
import { OutputTransform, RequestHandler } from "@tornado/web";
import { LogCapture, startApp } from "./support";

const logs = new LogCapture();
beforeAll(() => logs.start());
afterAll(() => logs.stop());

class UpperCase extends OutputTransform {
  override transformFirstChunk(status: number, headers: HTTPHeaders, chunk: Buffer, finishing: boolean): [number, HTTPHeaders, Buffer] {
    headers.set("X-Transformed", finishing ? "finishing" : "streaming");
    const upper = Buffer.from(chunk.toString().toUpperCase());
    if (headers.has("Content-Length")) headers.set("Content-Length", String(upper.length));
    return [status, headers, upper];
  }
  override transformChunk(chunk: Buffer): Buffer {
    return Buffer.from(chunk.toString().toUpperCase());
  }
}

class TextHandler extends RequestHandler {
  override async get() {
    this.write("hello ");
    if (this.getArgument("stream", null)) await this.flush();
    this.write("world");
  }
}

class JsonHandler extends RequestHandler {
  override get() {
    this.write({ a: 1 });
  }
}

class TemplateHandler extends RequestHandler {
  override get() {
    void this.render("page.html");
  }
}

describe("settings", () => {
  it("applies transforms to the first chunk and to later chunks", async () => {
    const server = await startApp([["/", TextHandler]], { transforms: [UpperCase] });
    try {
      const whole = await server.fetch("/");
      expect([whole.text, whole.headers["x-transformed"]]).toEqual(["HELLO WORLD", "finishing"]);
      const streamed = await server.fetch("/?stream=1");
      expect([streamed.text, streamed.headers["x-transformed"]]).toEqual(["HELLO WORLD", "streaming"]);
    } finally {
      await server.close();
    }
  });

  it("serializes objects with jsonSerializer", async () => {
    const server = await startApp([["/", JsonHandler]], { jsonSerializer: (value) => JSON.stringify(value, null, 1) });
    try {
      const response = await server.fetch("/");
      expect(response.text).toBe('{\n "a": 1\n}');
      expect(response.headers["content-type"]).toBe("application/json; charset=UTF-8");
    } finally {
      await server.close();
    }
  });

  it.each([
    [{ debug: true }, "second"],
    [{}, "first"],
  ])("reloads templates per request only without the compiled template cache (%j)", async (settings, expected) => {
    const dir = mkdtempSync(join(tmpdir(), "web-templates-"));
    writeFileSync(join(dir, "page.html"), "first");
    const server = await startApp([["/", TemplateHandler]], { templatePath: dir, ...settings });
    try {
      expect((await server.fetch("/")).text).toBe("first");
      writeFileSync(join(dir, "page.html"), "second");
      expect((await server.fetch("/")).text).toBe(expected);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
