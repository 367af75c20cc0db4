/**
 * The same application in Python Tornado (Debian's 6.2) and here, asked the same questions:
 * status lines, bodies, and the headers Tornado decides (Content-Type, Etag, Content-Length,
 * Location) must agree.
 */

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { RequestHandler } from "@tornado/web";
import { fetchFrom, LogCapture, startApp, type TestResponse, type TestServer } from "./support";

const PYTHON = "/usr/bin/python3";
const hasTornado = spawnSync(PYTHON, ["-c", "import tornado.web"], { stdio: "ignore" }).status === 0;
const maybe = hasTornado ? describe : describe.skip;
if (!hasTornado) it.skip(`skipped: ${PYTHON} cannot import tornado (install python3-tornado)`, () => undefined);

const PYTHON_APP = `
import asyncio, tornado.web
class Hello(tornado.web.RequestHandler):
    def get(self): self.write("Hello, World!")
class Json(tornado.web.RequestHandler):
    def get(self): self.write({"message": "Hello"})
class Fail(tornado.web.RequestHandler):
    def get(self): raise tornado.web.HTTPError(503)
class Missing(tornado.web.RequestHandler):
    def get(self): self.get_argument("foo")
class Group(tornado.web.RequestHandler):
    def get(self, a, b): self.write("%s|%s" % (a, b))
class Go(tornado.web.RequestHandler):
    def get(self): self.redirect("/there")
async def main():
    app = tornado.web.Application([("/", Hello), ("/json", Json), ("/fail", Fail), ("/missing", Missing),
        (r"/g/([^/]*)/(.*)", Group), ("/go", Go)])
    server = app.listen(0, address="127.0.0.1")
    print(list(server._sockets.values())[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()
asyncio.run(main())
`;

class Hello extends RequestHandler {
  override get() {
    this.write("Hello, World!");
  }
}
class Json extends RequestHandler {
  override get() {
    this.write({ message: "Hello" });
  }
}
class Fail extends RequestHandler {
  override get() {
    throw new (require("@tornado/web").HTTPError)(503);
  }
}
class Missing extends RequestHandler {
  override get() {
    this.getArgument("foo");
  }
}
class Group extends RequestHandler {
  override get(a: string, b: string) {
    this.write(`${a}|${b}`);
  }
}
class Go extends RequestHandler {
  override get() {
    void this.redirect("/there");
  }
}

maybe("against Python Tornado", () => {
  const logs = new LogCapture();
  let python: ChildProcess;
  let pythonPort: number;
  let server: TestServer;

  beforeAll(async () => {
    logs.start();
    python = spawn(PYTHON, ["-c", PYTHON_APP], { stdio: ["ignore", "pipe", "ignore"] });
    pythonPort = await new Promise<number>((resolve, reject) => {
      python.stdout!.once("data", (data) => resolve(Number(String(data).trim())));
      python.once("exit", (code) => reject(new Error(`python exited with ${code}`)));
    });
    server = await startApp([
      ["/", Hello],
      ["/json", Json],
      ["/fail", Fail],
      ["/missing", Missing],
      ["/g/([^/]*)/(.*)", Group],
      ["/go", Go],
    ]);
  });
  afterAll(async () => {
    python.kill();
    await server.close();
    logs.stop();
  });

  const decided = ["content-type", "etag", "content-length", "location"];
  function summary(response: TestResponse, method: string): unknown {
    const headers = Object.fromEntries(decided.map((name) => [name, response.headers[name]]));
    const body = response.headers["content-type"]?.startsWith("application/json") ? JSON.parse(response.text) : response.text;
    return { status: response.status, reason: response.reason, headers, body: method === "HEAD" ? "" : body };
  }

  it.each([
    ["GET", "/"],
    ["HEAD", "/"],
    ["GET", "/fail"],
    ["GET", "/missing"],
    ["GET", "/nowhere"],
    ["POST", "/"],
    ["GET", "/g/a%2Fb/c%20d"],
    ["GET", "/g/%C3%A9/+"],
    ["GET", "/go"],
  ])("%s %s answers alike", async (method, path) => {
    const body = method === "POST" ? "" : undefined;
    const ours = await server.fetch(path, { method, body });
    const theirs = await fetchFrom(pythonPort, path, { method, body });
    const normalize = (value: unknown) => JSON.parse(JSON.stringify(value).replace(/TornadoServer\/[\d.]+/g, "TornadoServer"));
    expect(normalize(summary(ours, method))).toEqual(normalize(summary(theirs, method)));
  });

  it("writes JSON without Python's spacing (ARCHITECTURE decision 1); both decode alike", async () => {
    const ours = await server.fetch("/json");
    const theirs = await fetchFrom(pythonPort, "/json");
    expect([ours.text, theirs.text]).toEqual(['{"message":"Hello"}', '{"message": "Hello"}']);
    expect(ours.headers["content-type"]).toBe(theirs.headers["content-type"]);
  });

  it("sends the same Etag for the same body, so caches carry over", async () => {
    const ours = await server.fetch("/");
    const theirs = await fetchFrom(pythonPort, "/");
    expect(ours.headers.etag).toBe(theirs.headers.etag);
    const revalidated = await server.fetch("/", { headers: { "If-None-Match": theirs.headers.etag as string } });
    expect(revalidated.status).toBe(304);
  });
});
