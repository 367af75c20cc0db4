/**
 * prepare() and getCurrentUser() run before the upgrade, so `authenticated` and
 * cookie-based users work as in Tornado: a refused request gets an HTTP answer and no 101.
 */

import { HTTPClientError, HTTPRequest } from "@tornado/httpclient";
import { authenticated, HTTPError } from "@tornado/web";
import { WebSocketHandler, websocketConnect } from "@tornado/websocket";
import { handshakeRequest, LogCapture, rawExchange, startApp, type TestApp } from "./support";

class UserHandler extends WebSocketHandler {
  override getCurrentUser() {
    return this.getCookie("user") ?? null;
  }

  @authenticated
  override get(...args: unknown[]) {
    return super.get(...args);
  }

  override open() {
    void this.writeMessage(`hello ${String(this.currentUser)}`);
  }
}

class ForbiddenHandler extends WebSocketHandler {
  override async prepare() {
    throw new HTTPError(403, "no websockets for you");
  }
}

const logs = new LogCapture();
let t: TestApp;
beforeAll(async () => {
  logs.start();
  t = await startApp(
    [
      ["/user", UserHandler],
      ["/forbidden", ForbiddenHandler],
    ],
    { loginUrl: "/login" },
  );
});
afterAll(async () => {
  await t.stop();
  logs.stop();
});

describe("before the upgrade", () => {
  it("authenticated: without a user the GET is redirected to the login page", async () => {
    const error = await websocketConnect(t.wsUrl("/user")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPClientError);
    expect((error as HTTPClientError).code).toBe(302);
    const raw = await rawExchange(t.port, handshakeRequest("/user"));
    expect(raw.toString("latin1")).toMatch(/^HTTP\/1\.1 302 Found\r\n[\s\S]*\r\nLocation: \/login\?next=%2Fuser\r\n/);
  });

  it("authenticated: a user from a cookie is let in", async () => {
    const client = await websocketConnect(new HTTPRequest(t.httpUrl("/user"), { headers: { Cookie: "user=ada" } }));
    expect(await client.readMessage()).toBe("hello ada");
    client.close();
    await client.whenClosed();
  });

  it("an error in an async prepare is answered over HTTP", async () => {
    const error = await websocketConnect(t.wsUrl("/forbidden")).catch((e: unknown) => e);
    expect((error as HTTPClientError).code).toBe(403);
  });
});
