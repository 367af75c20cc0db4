/**
 * The README stays true: its Google example runs as written against a loopback server that
 * speaks Google's endpoints and the browser ends up logged in; the Errors table lists every
 * code; the API table names every export.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AsyncHTTPClient } from "@tornado/httpclient";
import { accessLog } from "@tornado/ioloop";
import { ExpectLog, startHTTPTestServer } from "@tornado/testing";
import * as web from "@tornado/web";
import * as auth from "@tornado/auth";
import { OAuth2Providers } from "./fixtures/oauth2-providers";
import { Browser } from "./support/browser";

const README = readFileSync(join(__dirname, "..", "README.md"), "utf8");

function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no "## ${title}" section`);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe("README", () => {
  it("the Errors table lists every error code, and no others", () => {
    const listed = new Set(section("Errors").match(/TORNADO_ERR_[A-Z_]+/g));
    expect([...listed].sort()).toEqual(Object.values(auth.AUTH_ERROR_CODES).sort());
  });

  it("the API or Errors table names every export", () => {
    const tables = section("API") + section("Errors");
    for (const name of Object.keys(auth)) expect({ name, listed: tables.includes(`\`${name}`) }).toEqual({ name, listed: true });
  });

  it("the example signs in with Google (a loopback Google) and sets the signed user cookie", async () => {
    const example = /```ts\n([\s\S]*?)```/.exec(section("Example"))![1]!;
    expect(example.split("\n").filter((line) => line.trim()).length).toBeLessThanOrEqual(10);
    const providers = await OAuth2Providers.start();
    // The example as written, with its imports bound here, Google's endpoints pointed at the
    // loopback Google (as Tornado's own test does in initialize()), and listen() left to the test.
    const GoogleOAuth2Mixin = <Base extends auth.RequestHandlerBase>(base: Base) => {
      abstract class LoopbackGoogle extends auth.GoogleOAuth2Mixin(base) {
        override OAUTH_AUTHORIZE_URL = `${providers.url}/google/o/oauth2/v2/auth`;
        override OAUTH_ACCESS_TOKEN_URL = `${providers.url}/google/token`;
        override OAUTH_USERINFO_URL = `${providers.url}/google/userinfo`;
        override getAuthHttpClient(): AsyncHTTPClient {
          return client;
        }
      }
      return LoopbackGoogle;
    };
    const body = example
      .replace(/import \{([^}]*)\} from "@tornado\/web";/, "const {$1} = web;")
      .replace(/import \{([^}]*)\} from "@tornado\/auth";/, "const {$1} = auth;")
      .replace(/^new Application\(([\s\S]*)\)\.listen\(8888\);\s*$/m, "return new Application($1);");
    expect(body).not.toMatch(/import |listen/);
    const app = new Function("web", "auth", body)(web, { GoogleOAuth2Mixin }) as web.Application;
    const server = await startHTTPTestServer(app);
    const client = server.httpClient;
    const browser = new Browser();
    try {
      const visit = await ExpectLog.run(accessLog, /GET/, () => browser.visit(server.url("/login")));
      expect(visit.history.map((url) => new URL(url).pathname)).toEqual(["/login", "/google/o/oauth2/v2/auth", "/login", "/"]);
      const cookie = browser.cookiesFor(server.url("/")).get("user")!;
      const value = web.decodeSignedValue("change me", "user", cookie.replace(/^"|"$/g, "").replace(/\\"/g, '"'));
      expect(JSON.parse(value!.toString("utf8"))).toEqual({ id: "1234", email: "ada@example.test", verified_email: true, name: "Ada" });
    } finally {
      await browser.close();
      await server.stop();
      await providers.close();
    }
  });
});
