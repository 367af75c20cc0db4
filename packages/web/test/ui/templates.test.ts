/**
 * render()/renderString() wired to @tornado/template. Ported from web_test.py
 * FinalReturnTest (render returns a Promise), GetCurrentUserTest (currentUser once),
 * SetLazyPropertiesTest and the template namespace.
 */

import { join } from "node:path";
import { DictLoader } from "@tornado/template";
import { RequestHandler, url } from "@tornado/web";
import { LogCapture, startApp, type TestServer } from "../support";

const logs = new LogCapture();
beforeAll(() => logs.start());
afterAll(() => logs.stop());

let currentUserCalls = 0;

class RenderHandler extends RequestHandler {
  override getCurrentUser() {
    currentUserCalls++;
    return "Ben";
  }
  override async get(name: string) {
    const promise = this.render(`${name}.html`, { value: this.getArgument("value", "none") });
    renderReturnedPromise = promise instanceof Promise;
    await promise;
  }
}
let renderReturnedPromise = false;

class LazyPropertiesHandler extends RequestHandler {
  override prepare() {
    this.currentUser = "Ben";
  }
  override getCurrentUser(): never {
    throw new Error("getCurrentUser must not be called");
  }
  override get() {
    this.write(`Hello ${String(this.currentUser)} (${this.locale.code})`);
  }
}

class FileTemplateHandler extends RequestHandler {
  override get() {
    void this.render("hello.html", { name: "files" });
  }
}

const templates = {
  "plain.html": "hi {{ value }}",
  "user.html": "{{ currentUser }}",
  "namespace.html": "{{ typeof handler }} {{ request.method }} {{ reverseUrl('render', 'x') }} {{ locale.code }} {{ _('Hello') }}",
  "escape.html": "{{ value }}",
};

describe("templates", () => {
  let server: TestServer;
  let files: TestServer;
  beforeAll(async () => {
    server = await startApp(
      [url("/render/(.*)", RenderHandler, undefined, "render"), ["/lazy", LazyPropertiesHandler]],
      { templateLoader: new DictLoader(templates) },
    );
    files = await startApp([["/file", FileTemplateHandler]], { templatePath: join(__dirname, "..", "fixtures", "templates") });
  });
  afterAll(async () => {
    await server.close();
    await files.close();
  });

  it("renders with kwargs and returns a Promise (FinalReturnTest)", async () => {
    expect((await server.fetch("/render/plain?value=x")).text).toBe("hi x");
    expect(renderReturnedPromise).toBe(true);
  });

  it("calls getCurrentUser once per request when rendering (GetCurrentUserTest)", async () => {
    // As in Tornado (whose laziness test is skipped upstream, #820), the template's
    // namespace reads currentUser when the template runs, used or not: once per request.
    currentUserCalls = 0;
    expect((await server.fetch("/render/user")).text).toBe("Ben");
    expect(currentUserCalls).toBe(1);
    await server.fetch("/render/plain");
    expect(currentUserCalls).toBe(2);
  });

  it("offers handler, request, reverseUrl, locale and _ to templates", async () => {
    expect((await server.fetch("/render/namespace")).text).toBe("object GET /render/x en_US Hello");
  });

  it("autoescapes by default", async () => {
    expect((await server.fetch("/render/escape?value=%3Cb%3E")).text).toBe("&lt;b&gt;");
  });

  it("bypasses the getters when currentUser is assigned (SetLazyPropertiesTest)", async () => {
    expect((await server.fetch("/lazy")).text).toBe("Hello Ben (en_US)");
  });

  it("loads from templatePath", async () => {
    expect((await files.fetch("/file")).text).toBe("Hello files from /file\n");
  });
});
