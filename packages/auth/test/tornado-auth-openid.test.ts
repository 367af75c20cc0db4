/**
 * Tornado's own tests of tornado.auth (tornado/test/auth_test.py), ported: OpenIDAuthTest. As in
 * Tornado, one Application holds the client handlers and the simulated providers. Where
 * Tornado's behaviour is now an option rather than the default, the ported handler selects it
 * (OAUTH_SIGNED_COOKIE = false, OAUTH_STATE = false, OAUTH2_TOKEN_IN_QUERY = true) so that each
 * case checks what Tornado checks; the safe defaults have their own tests.
 */

import { useHTTPTestServer, type HTTPTestServerHandle } from "@tornado/testing";
import { Application, RequestHandler } from "@tornado/web";
import { OpenIdMixin } from "@tornado/auth";
import { context, quiet, type TestContext } from "./support/tornado-test-context";

class OpenIdClientLoginHandler extends OpenIdMixin(RequestHandler) {
  OPENID_ENDPOINT = "";
  test!: TestContext;

  override initialize({ test }: { test: TestContext }): void {
    this.test = test;
    this.OPENID_ENDPOINT = test.getUrl("/openid/server/authenticate");
  }

  override async get(): Promise<void> {
    if (this.getArgument("openid.mode", null)) {
      const user = await this.getAuthenticatedUser({ httpClient: this.test.httpClient() });
      await this.finish(user);
      return;
    }
    await this.authenticateRedirect();
  }
}

class OpenIdServerAuthenticateHandler extends RequestHandler {
  static flipFlop = false;

  override post(): void {
    if (this.getArgument("openid.mode") !== "check_authentication") throw new Error("incorrect openid.mode");
    // Both orders of the response lines, as Tornado checks.
    if (OpenIdServerAuthenticateHandler.flipFlop) this.write("is_valid:true\nns:http://specs.openid.net/auth/2.0\n");
    else this.write("ns:http://specs.openid.net/auth/2.0\nis_valid:true\n");
    OpenIdServerAuthenticateHandler.flipFlop = !OpenIdServerAuthenticateHandler.flipFlop;
  }
}

describe("OpenIDAuthTest", () => {
  const server: HTTPTestServerHandle = useHTTPTestServer(
    () =>
      new Application(
        [
          ["/openid/client/login", OpenIdClientLoginHandler, { test: context(() => server) }],
          ["/openid/server/authenticate", OpenIdServerAuthenticateHandler],
        ],
        quiet,
      ),
  );

  it("test_openid_redirect", async () => {
    const response = await server.fetch("/openid/client/login", { followRedirects: false });
    expect(response.code).toBe(302);
    expect(response.headers.get("Location")).toContain("/openid/server/authenticate?");
  });

  it.each([0, 1])("test_openid_get_user (%i)", async () => {
    const response = await server.fetch(
      "/openid/client/login?openid.mode=blah" +
        "&openid.ns.ax=http://openid.net/srv/ax/1.0" +
        "&openid.ax.type.email=http://axschema.org/contact/email" +
        "&openid.ax.value.email=foo@example.com",
    );
    response.rethrow();
    expect(JSON.parse(response.text).email).toBe("foo@example.com");
  });
});

