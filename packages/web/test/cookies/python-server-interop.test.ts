/**
 * One cookie secret, two servers: a real Python Tornado application and ours set and read
 * each other's signed cookies and XSRF tokens over HTTP (the move-piece-by-piece story of
 * issue 6). Skipped, visibly, when /usr/bin/python3 cannot import tornado.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { HTTPTestServer } from "@tornado/testing";
import { setLogHandler } from "@tornado/ioloop";
import { Application, RequestHandler } from "../../src/index";

const python = "/usr/bin/python3";
const hasTornado = spawnSync(python, ["-c", "import tornado.web"], { stdio: "ignore" }).status === 0;
const maybe = hasTornado ? describe : describe.skip;
if (!hasTornado) {
  describe("Python Tornado server interop", () => {
    it.skip(`skipped: ${python} cannot import tornado (install python3-tornado)`, () => undefined);
  });
}

const SECRET = "one secret for both";
const PYTHON_APP = `
import asyncio, sys
import tornado.web

class SetHandler(tornado.web.RequestHandler):
    def get(self):
        self.set_secure_cookie("user", self.get_argument("name"))
        self.write(self.xsrf_token)

class WhoHandler(tornado.web.RequestHandler):
    def get(self):
        value = self.get_secure_cookie("user")
        self.write("none" if value is None else value.decode("utf-8"))

class PostHandler(tornado.web.RequestHandler):
    def post(self):
        self.write("posted")

async def main():
    app = tornado.web.Application([("/set", SetHandler), ("/who", WhoHandler), ("/post", PostHandler)],
                                  cookie_secret=sys.argv[1], xsrf_cookies=True)
    server = app.listen(0, "127.0.0.1")
    port = list(server._sockets.values())[0].getsockname()[1]
    print(port, flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
`;

class SetHandler extends RequestHandler {
  override get() {
    this.setSignedCookie("user", this.getArgument("name"));
    this.write(this.xsrfToken);
  }
}
class WhoHandler extends RequestHandler {
  override get() {
    this.write(this.getSignedCookie("user") ?? "none");
  }
}
class PostHandler extends RequestHandler {
  override post() {
    this.write("posted");
  }
}

maybe("Python Tornado server interop", () => {
  let child: ChildProcess;
  let pythonPort: number;
  let ours: HTTPTestServer;
  let restore: ReturnType<typeof setLogHandler>;

  beforeAll(async () => {
    restore = setLogHandler(() => undefined);
    child = spawn(python, ["-c", PYTHON_APP, SECRET], { stdio: ["ignore", "pipe", "pipe"] });
    pythonPort = await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /^(\d+)\n/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      child.once("exit", (code) => reject(new Error(`python exited with ${code}`)));
    });
    ours = await HTTPTestServer.start(
      new Application(
        [
          ["/set", SetHandler],
          ["/who", WhoHandler],
          ["/post", PostHandler],
        ],
        { cookieSecret: SECRET, xsrfCookies: true },
      ),
    );
  });

  afterAll(async () => {
    await ours?.stop();
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill();
      await exited;
    }
    setLogHandler(restore);
  });

  const pythonUrl = (path: string) => `http://127.0.0.1:${pythonPort}${path}`;
  const cookiesOf = (response: { headers: { getList(name: string): string[] } }) =>
    response.headers.getList("Set-Cookie").map((header) => header.split(";")[0]!);

  it("a cookie signed by Python is read here, and one signed here is read by Python", async () => {
    const fromPython = await ours.fetch(pythonUrl("/set?name=ada%20l%C3%B6velace"));
    const pythonCookie = cookiesOf(fromPython).find((c) => c.startsWith("user="))!;
    expect((await ours.fetch("/who", { headers: { Cookie: pythonCookie } })).body.toString()).toBe("ada l\u00f6velace");

    const fromUs = await ours.fetch("/set?name=grace%20hopper");
    const ourCookie = cookiesOf(fromUs).find((c) => c.startsWith("user="))!;
    expect((await ours.fetch(pythonUrl("/who"), { headers: { Cookie: ourCookie } })).body.toString()).toBe("grace hopper");
  });

  it("XSRF tokens and cookies from either server pass the other's check", async () => {
    const post = (url: string, token: string, cookie: string) =>
      ours.fetch(url, {
        method: "POST",
        body: `_xsrf=${encodeURIComponent(token)}`,
        headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      });
    const fromPython = await ours.fetch(pythonUrl("/set?name=x"));
    const pythonXsrf = cookiesOf(fromPython).find((c) => c.startsWith("_xsrf="))!;
    expect((await post("/post", fromPython.body.toString(), pythonXsrf)).body.toString()).toBe("posted");

    const fromUs = await ours.fetch("/set?name=y");
    const ourXsrf = cookiesOf(fromUs).find((c) => c.startsWith("_xsrf="))!;
    expect((await post(pythonUrl("/post"), fromUs.body.toString(), ourXsrf)).body.toString()).toBe("posted");
    // And a mismatch is refused by Python too.
    expect((await post(pythonUrl("/post"), fromPython.body.toString(), ourXsrf)).code).toBe(403);
  });
});
