/**
 * WSGISafeWebTest's linkify and UI-module-resource cases, UIMethodUIModuleTest and
 * GetCurrentUserTest's module cases (web_test.py), on real sockets.
 */
import { DictLoader, UnknownModuleError } from "@tornado/template";
import { HTTPTestServer } from "@tornado/testing";
import { LogLevel, setLogHandler, type LogRecord } from "@tornado/ioloop";
import {
  Application,
  NotImplementedError,
  RequestHandler,
  UIModuleError,
  type ApplicationSettings,
  type RuleLike,
} from "../../src/index";
import { UIModule } from "../../src/ui/ui-module";

let restore: ReturnType<typeof setLogHandler>;
beforeAll(() => {
  // Quiet, but ERROR records go on to the log guard (a test that means one wraps it in ExpectLog).
  restore = setLogHandler((record) => {
    if (record.level >= LogLevel.ERROR) restore(record);
  });
});
afterAll(() => setLogHandler(restore));
const servers: HTTPTestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});
async function serve(handlers: RuleLike[], settings: ApplicationSettings): Promise<HTTPTestServer> {
  RequestHandler.resetTemplateLoaders();
  const server = await HTTPTestServer.start(new Application(handlers, settings));
  servers.push(server);
  return server;
}
const body = async (server: HTTPTestServer, path: string) => {
  const response = await server.fetch(path);
  return response.body.toString();
};

describe("UI modules (web_test.py)", () => {
  const templates = {
    "linkify.html": "{% module linkify(message) %}",
    "page.html":
      '<html><head></head><body>\n{% for e in entries %}\n{% module Template("entry.html", { entry: e }) %}\n{% end %}\n</body></html>',
    // As WSGISafeWebTest writes it: Python's keyword argument.
    "page_kw.html":
      '<html><head></head><body>\n{% for e in entries %}\n{% module Template("entry.html", entry=e) %}\n{% end %}\n</body></html>',
    "kw.html": "{% module MyModule(1, note=value) %}",
    "entry.html":
      '{{ setResources({ embeddedCss: ".entry { margin-bottom: 1em; }", embeddedJavascript: "js_embed()", cssFiles: ["/base.css", "/foo.css"], javascriptFiles: "/common.js", htmlHead: "<meta>", htmlBody: \'<script src="/analytics.js"/>\' }) }}\n<div class="entry">...</div>',
    "ui.html": "{{ myUiMethod(42) }} {% module MyModule(123) %}",
    "user.html": "{% module UserModule() %}",
  };
  class LinkifyHandler extends RequestHandler {
    override get() {
      return this.render("linkify.html", { message: "http://example.com" });
    }
  }
  class PageHandler extends RequestHandler {
    override get() {
      return this.render(this.getArgument("kw", "") ? "page_kw.html" : "page.html", { entries: [1, 2] });
    }
  }
  class KeywordHandler extends RequestHandler {
    override get() {
      return this.render("kw.html", { value: "<n>" });
    }
  }
  class UIHandler extends RequestHandler {
    override get() {
      return this.render("ui.html");
    }
  }
  class MyModule extends UIModule {
    override render(x: number, options?: { note: string }) {
      if (options !== undefined) return `MyModule(${x}, note=${options.note})`;
      return `In MyModule(${x}) with handler value ${this.handler.getArgument("value")}.`;
    }
  }
  let userCalls = 0;
  class UserModule extends UIModule {
    override render() {
      return String(this.currentUser);
    }
  }
  class UserHandler extends RequestHandler {
    override getCurrentUser() {
      userCalls++;
      return true;
    }
    override get() {
      return this.render("user.html");
    }
  }
  const settings: ApplicationSettings = {
    templateLoader: new DictLoader(templates, { autoescape: "xhtml_escape" }),
    uiModules: { MyModule, UserModule },
    uiMethods: {
      myUiMethod: (handler: RequestHandler, x: number) => `In my_ui_method(${x}) with handler value ${handler.getArgument("value")}.`,
    },
  };
  const routes: RuleLike[] = [
    ["/linkify", LinkifyHandler],
    ["/page", PageHandler],
    ["/ui", UIHandler],
    ["/user", UserHandler],
    ["/kw", KeywordHandler],
  ];

  it("linkify module output is not escaped", async () => {
    const server = await serve(routes, settings);
    expect(await body(server, "/linkify")).toBe('<a href="http://example.com">http://example.com</a>');
  });

  it("Template module resources are injected once, in Tornado's order", async () => {
    const server = await serve(routes, settings);
    expect(await body(server, "/page")).toBe(
      `<html><head><link href="/base.css" type="text/css" rel="stylesheet"/><link href="/foo.css" type="text/css" rel="stylesheet"/>
<style type="text/css">
.entry { margin-bottom: 1em; }
</style>
<meta>
</head><body>


<div class="entry">...</div>


<div class="entry">...</div>

<script src="/common.js" type="text/javascript"></script>
<script type="text/javascript">
//<![CDATA[
js_embed()
//]]>
</script>
<script src="/analytics.js"/>
</body></html>`,
    );
  });

  it("takes Tornado's keyword arguments: Template(\"entry.html\", entry=e) renders as with { entry: e }", async () => {
    const server = await serve(routes, settings);
    expect(await body(server, "/page?kw=1")).toBe(await body(server, "/page"));
    // A module of one's own gets them as its last argument (unescaped, as module output is).
    expect(await body(server, "/kw")).toBe("MyModule(1, note=<n>)");
  });

  it("UI methods and UI modules see the handler (UIMethodUIModuleTest)", async () => {
    const server = await serve(routes, settings);
    expect(await body(server, "/ui?value=asdf")).toBe(
      "In my_ui_method(42) with handler value asdf. In MyModule(123) with handler value asdf.",
    );
  });

  it("a module reading currentUser calls getCurrentUser (GetCurrentUserTest)", async () => {
    const server = await serve(routes, settings);
    userCalls = 0;
    expect(await body(server, "/user")).toBe("true");
    expect(userCalls).toBe(1);
  });
});

describe("UI module misuse is a typed error, answered 500", () => {
  class Bare extends UIModule {}
  class Script extends UIModule {
    override render() {
      return "<p>script</p>";
    }
    override embeddedJavascript() {
      return "go()";
    }
  }
  const templates = {
    "bare.html": "{% module Bare() %}",
    "conflict.html":
      '{% module Template("part.html", { css: "a.css" }) %}{% module Template("part.html", { css: "b.css" }) %}</body>',
    "part.html": "{{ setResources({ cssFiles: css }) }}part",
    "nobody.html": "<html><body>{% module Script() %}</html>",
    "missing.html": "<p>\n{% module Missing(1) %}</p>",
  };
  const page = (name: string) =>
    class extends RequestHandler {
      override get() {
        return this.render(name);
      }
    };
  const routes: RuleLike[] = [
    ["/bare", page("bare.html")],
    ["/conflict", page("conflict.html")],
    ["/nobody", page("nobody.html")],
    ["/missing", page("missing.html")],
  ];

  it("a module without render() is NotImplementedError; conflicting or unplaceable resources are UIModuleError; an unknown one UnknownModuleError", async () => {
    // Its own templatePath: loaders are cached per path for the whole process.
    const settings = { templatePath: "/ui-module-misuse", templateLoader: new DictLoader(templates), uiModules: { Bare, Script } };
    const server = await serve(routes, settings);
    const errors: unknown[] = [];
    const previous = setLogHandler((record: LogRecord) => {
      if (record.error !== undefined) errors.push(record.error);
    });
    try {
      for (const path of ["/bare", "/conflict", "/nobody", "/missing"]) expect((await server.fetch(path)).code).toBe(500);
    } finally {
      setLogHandler(previous);
    }
    expect(errors).toHaveLength(4);
    expect(errors[0]).toBeInstanceOf(NotImplementedError);
    expect((errors[0] as Error).message).toBe("Bare must define render()");
    expect(errors[1]).toBeInstanceOf(UIModuleError);
    expect((errors[1] as Error).message).toBe("setResources called with different resources for the same template");
    expect(errors[2]).toBeInstanceOf(UIModuleError);
    expect((errors[2] as Error).message).toBe("rendered page has no </body> to insert module resources before");
    // An unknown module names itself, the modules there are, and the template line.
    expect(errors[3]).toBeInstanceOf(UnknownModuleError);
    expect((errors[3] as Error).message).toBe(
      '{% module Missing %}: no module named "Missing" (modules: linkify, xsrf_form_html, xsrfFormHtml, Template, Bare, Script)',
    );
    expect((errors[3] as Error).stack).toContain("at template missing.html:2");
  });
});
