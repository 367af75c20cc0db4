/**
 * web_test.py's AuthRedirectTest and DecoratorTest (authenticated, addslash, removeslash)
 * and GetCurrentUserTest (async), on real loopback sockets through @tornado/testing.
 */
import { setLogHandler, type LogRecord } from "@tornado/ioloop";
import { addslash, authenticated, RequestHandler, removeslash } from "@tornado/web";
import { getWithoutRedirects as get, testServers } from "../support";

const logs: LogRecord[] = [];
let restore: ReturnType<typeof setLogHandler>;
beforeAll(() => {
  restore = setLogHandler((record) => logs.push(record));
});
afterAll(() => setLogHandler(restore));

const serve = testServers();

describe("AuthRedirectTest / DecoratorTest (web_test.py)", () => {
  class RelativeLoginHandler extends RequestHandler {
    override getLoginUrl() {
      return "/login";
    }
    @authenticated
    override get() {
      this.write("never");
    }
  }
  class AbsoluteLoginHandler extends RequestHandler {
    override getLoginUrl() {
      return "http://example.com/login";
    }
    override get = authenticated(function (this: RequestHandler) {
      this.write("never");
    });
  }
  class AsyncUserHandler extends RequestHandler {
    override async getCurrentUser() {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return this.getArgument("user", null);
    }
    override prepare() {
      // Resolved before prepare.
      this.setHeader("X-Prepare-User", String(this.currentUser));
    }
    @authenticated
    override get() {
      this.write(`hello ${String(this.currentUser)}`);
    }
    @authenticated
    override post() {
      this.write("posted");
    }
  }
  class SlashHandler extends RequestHandler {
    @removeslash
    override get() {
      this.write("removed");
    }
  }
  class AddSlashHandler extends RequestHandler {
    @addslash
    override get() {
      this.write("added");
    }
    @addslash
    override post() {
      this.write("never");
    }
  }

  it("redirects to the login URL with next", async () => {
    const server = await serve(
      [
        ["/relative", RelativeLoginHandler],
        ["/absolute", AbsoluteLoginHandler],
      ],
      {},
    );
    const relative = await get(server, "/relative");
    expect(relative.code).toBe(302);
    expect(relative.headers.get("Location")).toBe("/login?next=%2Frelative");
    const absolute = await get(server, "/absolute");
    expect(absolute.code).toBe(302);
    expect(absolute.headers.get("Location")).toMatch(/^http:\/\/example\.com\/login\?next=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fabsolute$/);
  });

  it("awaits an async getCurrentUser before prepare, the method and authenticated (tornado#2434)", async () => {
    const server = await serve([["/user", AsyncUserHandler]], { loginUrl: "/login" });
    const ok = await get(server, "/user?user=ben");
    expect(ok.body.toString()).toBe("hello ben");
    expect(ok.headers.get("X-Prepare-User")).toBe("ben");
    const anonymous = await get(server, "/user");
    expect(anonymous.code).toBe(302);
    expect(anonymous.headers.get("Location")).toBe("/login?next=%2Fuser");
    expect((await server.fetch("/user", { method: "POST", body: "" })).code).toBe(403);
  });

  it("removeslash and addslash", async () => {
    const server = await serve([
      ["/removeslash/", SlashHandler],
      ["/addslash", AddSlashHandler],
      ["/", SlashHandler],
    ]);
    let response = await get(server, "/removeslash/");
    expect(response.code).toBe(301);
    expect(response.headers.get("Location")).toBe("/removeslash");
    response = await get(server, "/removeslash/?foo=bar");
    expect(response.headers.get("Location")).toBe("/removeslash?foo=bar");
    response = await get(server, "/addslash");
    expect(response.code).toBe(301);
    expect(response.headers.get("Location")).toBe("/addslash/");
    response = await get(server, "/addslash?foo=bar");
    expect(response.headers.get("Location")).toBe("/addslash/?foo=bar");
    expect((await server.fetch("/addslash", { method: "POST", body: "" })).code).toBe(404);
    expect((await get(server, "/")).body.toString()).toBe("removed"); // "/" is never redirected
  });
});
