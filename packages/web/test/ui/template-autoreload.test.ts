/**
 * Under `autoreload` (or `debug`) the default template loader watches every template file it
 * reads (extended and included ones too), so that editing a template restarts the process.
 * Tornado leaves that to `autoreload.watch` calls in the application.
 */

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { autoreload } from "@tornado/ioloop";
import { Application, RequestHandler } from "@tornado/web";
import { startServer, type TestServer } from "../support";

const FIXTURE = join(__dirname, "..", "fixtures", "autoreload", "template-app.js");

let root: string;
let server: TestServer | null = null;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "tornado-template-watch-"));
  writeFileSync(join(root, "base.html"), "<b>{% block body %}{% end %}</b>");
  writeFileSync(join(root, "part.html"), "part");
});
afterEach(async () => {
  await server?.close();
  server = null;
  autoreload.stop();
  rmSync(root, { recursive: true, force: true });
});

class PageHandler extends RequestHandler {
  override get(): Promise<void> {
    return this.render("page.html");
  }
}

async function renderWith(settings: { autoreload?: boolean; debug?: boolean }): Promise<string> {
  writeFileSync(join(root, "page.html"), '{% extends "base.html" %}{% block body %}{% include "part.html" %}{% end %}');
  const app = new Application([["/", PageHandler]], { templatePath: root, ...settings });
  // The watch list is what this test checks; no file of this run should restart Jest.
  autoreload.stop();
  server = await startServer(app);
  return (await server.fetch("/")).text;
}

describe("template autoreload", () => {
  it.each([["autoreload", { autoreload: true }], ["debug", { debug: true }]])("watches every template file read under %s", async (_name, settings) => {
    expect(await renderWith(settings)).toBe("<b>part</b>");
    const watched = autoreload.watchedFiles();
    for (const name of ["page.html", "base.html", "part.html"]) expect(watched.has(join(root, name))).toBe(true);
  });

  it("watches nothing without autoreload", async () => {
    expect(await renderWith({})).toBe("<b>part</b>");
    expect(autoreload.watchedFiles().has(join(root, "page.html"))).toBe(false);
  });

  it("restarts a debug app when a template it rendered changes", async () => {
    writeFileSync(join(root, "page.html"), "generation {{ generation }}");
    const child = spawn(process.execPath, [FIXTURE], {
      detached: true, // its own process group: the test ends the app and its restarted self together
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, TEMPLATE_DIR: root, TESTAPP_MARKER: join(root, "generation") },
    });
    let output = "";
    const waiting = new Map<RegExp, (match: RegExpMatchArray) => void>();
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      for (const [pattern, resolve] of waiting) {
        const match = pattern.exec(output);
        if (match !== null) resolve(match);
      }
    });
    const seen = (pattern: RegExp) =>
      new Promise<RegExpMatchArray>((resolve) => {
        const match = pattern.exec(output);
        if (match !== null) resolve(match);
        else waiting.set(pattern, resolve);
      });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      const first = await seen(/listening (\d+) 1\n/);
      expect(await (await fetch(`http://127.0.0.1:${first[1]}/`)).text()).toBe("generation 1");
      // A newer mtime each time (no waiting for the clock) until the app restarts: its first
      // check may not have recorded the old time yet.
      let restarted = false;
      const restart = seen(/listening (\d+) 2\n/).then((match) => ((restarted = true), match));
      for (let i = 1; !restarted && i < 100; i++) {
        const later = new Date(Date.now() + i * 1000);
        utimesSync(join(root, "page.html"), later, later);
        await Promise.race([restart, new Promise((resolve) => setTimeout(resolve, 200))]);
      }
      const second = await restart;
      expect(await (await fetch(`http://127.0.0.1:${second[1]}/`)).text()).toBe("generation 2");
    } finally {
      process.kill(-(child.pid as number), "SIGTERM");
      await exited;
    }
  }, 60_000);
});
