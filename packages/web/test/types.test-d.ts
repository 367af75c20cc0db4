/**
 * Compile-time tests of the public types (run by `tsc -p tsconfig.test.json`, the package's
 * typecheck; Jest does not run this file). A `// @ts-expect-error` line must fail to compile:
 * if it ever compiles, tsc reports the directive as unused and typecheck fails. The checks:
 * routing tables and url() (targets, initialize() arguments, path groups against the
 * methods), RequestHandler's PathArgs, ApplicationSettings (no index signature; declaration
 * merging from another package), `authenticated` and friends, and that @internal members do
 * not ship in the published declarations (this file sees @tornado/web through dist/*.d.ts).
 */

import { expectTypeOf } from "expect-type";
import type { HTTPServerRequest } from "@tornado/httpserver";
import {
  addslash,
  Application,
  authenticated,
  ErrorHandler,
  RedirectHandler,
  RequestHandler,
  Rule,
  RuleRouter,
  StaticFileHandler,
  url,
  PathMatches,
  type ApplicationSettings,
  type RuleLike,
  type TargetParams,
} from "@tornado/web";
import { greeting } from "./fixtures/settings-plugin";

interface Database {
  query(sql: string): string[];
}
const db: Database = { query: () => [] };

class Main extends RequestHandler {
  override get(): void {
    this.write("main");
  }
}
class User extends RequestHandler {
  override get(id: string): void {
    this.write({ id });
  }
}
class Story extends RequestHandler {
  override get({ id, slug }: { id: string; slug: string | null }): void {
    this.write({ id, slug });
  }
}
class OptionalPart extends RequestHandler {
  override get(page: string | null): void {
    this.write({ page });
  }
}
class WithDatabase extends RequestHandler {
  database!: Database;
  override initialize(options: { db: Database }): void {
    this.database = options.db;
  }
}
class TwoArguments extends RequestHandler {
  override initialize(name: string, size: number): void {
    void [name, size];
  }
}
class Typed extends RequestHandler<[id: string]> {
  override prepare(): void {
    this.write(this.pathArgs[0] ?? "");
  }
}
class NotAHandler {
  get(): string {
    return "I am not a RequestHandler";
  }
}

// ---------------------------------------------------------------- targets

new Application([
  ["/", Main],
  ["/users/([0-9]+)", User],
  ["/stories/(?P<id>[0-9]+)/(?<slug>[a-z-]+)?", Story],
  ["/pages/([0-9]+)?", OptionalPart],
  ["/db", WithDatabase, { db }],
  ["/db-array", WithDatabase, [{ db }]],
  ["/two", TwoArguments, ["a", 1]],
  ["/named", Main, null, "named"],
  ["/typed/(.*)", Typed],
  ["/missing", ErrorHandler, { statusCode: 404 }],
  ["/missing-default", ErrorHandler],
  ["/old", RedirectHandler, { url: "/new" }],
  ["/files/(.*)", StaticFileHandler, { path: "/srv/files" }],
  ["/callback", (request: HTTPServerRequest, params: TargetParams) => void [request, params]],
  ["/nested", [["/nested/x", Main]]],
  ["/router/.*", new RuleRouter([["/router/x", () => undefined]])],
  [/^\/regexp\/(\d+)$/, User],
  [new PathMatches("/matcher/([0-9]+)"), User],
  new Rule(new PathMatches("/rule"), Main),
  url("/url/([0-9]+)", User, undefined, "user"),
]);
// A handler made through a mixin (as @tornado/auth's are) is a handler class too, even when
// the mixin's class type does not carry RequestHandler's statics.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- TypeScript's mixin rule asks for exactly any[]
function Greeting<Base extends abstract new (...args: any[]) => RequestHandler>(base: Base) {
  abstract class Greeter extends base {
    greeting(): string {
      return "hi";
    }
  }
  return Greeter;
}
class FromMixin extends Greeting(RequestHandler) {
  override get(): void {
    this.write(this.greeting());
  }
}
new Application([["/mixin", FromMixin]]);

const table: RuleLike[] = [["/", Main]];
new Application(table);
new Application();
new Application([], { debug: true });

// @ts-expect-error a handler is given as a class, not as its name (Tornado's "pkg.Handler")
new Application([["/", "Main"]]);
// @ts-expect-error a class that is not a RequestHandler
new Application([["/", NotAHandler]]);
// @ts-expect-error not a target at all
new Application([["/", 42]]);
// @ts-expect-error a nested table is checked for its targets too
new Application([["/nested", [["/nested/x", "Main"]]]]);

// ---------------------------------------------------------------- initialize() arguments

// @ts-expect-error misspelt option
new Application([["/db", WithDatabase, { database: db }]]);
// @ts-expect-error wrongly typed option
new Application([["/db", WithDatabase, { db: "postgres://" }]]);
// @ts-expect-error initialize() needs its options
new Application([["/db", WithDatabase]]);
// @ts-expect-error a handler without initialize() takes no init arguments
new Application([["/", Main, { db }]]);
// @ts-expect-error two arguments are given as an array
new Application([["/two", TwoArguments, { name: "a", size: 1 }]]);
// @ts-expect-error RedirectHandler needs { url }
new Application([["/old", RedirectHandler, { target: "/new" }]]);

url("/db", WithDatabase, { db });
url("/db", WithDatabase, { db }, "db");
url("/two", TwoArguments, ["a", 1]);
url("/", Main);
url("/", Main, null, "home");
// @ts-expect-error initialize() needs its options
url("/db", WithDatabase);
// @ts-expect-error wrongly typed option
url("/db", WithDatabase, { db: 1 });
// @ts-expect-error a string target
url("/", "Main");
// @ts-expect-error a class that is not a RequestHandler
url("/", NotAHandler);

// ---------------------------------------------------------------- path groups against the methods

// @ts-expect-error get(id) needs the route's group
new Application([["/users", User]]);
// @ts-expect-error named groups arrive as one object, not a string
new Application([["/users/([0-9]+)", Story]]);
// @ts-expect-error positional groups arrive as strings, not an object
new Application([["/stories/([0-9]+)", Story]]);
// @ts-expect-error an optional group may be null
new Application([["/users/([0-9]+)?", User]]);
// @ts-expect-error RequestHandler<[id: string]> needs one group
new Application([["/typed", Typed]]);
// @ts-expect-error the same checks apply to url()
url("/users", User);

class NumericId extends RequestHandler {
  override get(id: number): void {
    void id;
  }
}
// @ts-expect-error groups are strings
new Application([["/users/([0-9]+)", NumericId]]);
// A RegExp pattern is not read: only the target is checked.
new Application([[/^\/users\/(\d+)$/, NumericId]]);

expectTypeOf<Typed["get"]>().parameters.toEqualTypeOf<[id: string]>();
expectTypeOf<RequestHandler["get"]>().parameters.toEqualTypeOf<unknown[]>();

// ---------------------------------------------------------------- settings

const settings: ApplicationSettings = { cookieSecret: "secret", xsrfCookies: true, loginUrl: "/login" };
new Application([], settings);
// @ts-expect-error a misspelt setting does not compile
new Application([], { cookieSecert: "secret" });
// @ts-expect-error settings are typed
new Application([], { debug: "yes" });
expectTypeOf<ApplicationSettings>().not.toHaveProperty("anything");

// Declared by ./fixtures/settings-plugin, another package, through declaration merging:
new Application([], { pluginGreeting: "hi", pluginOauth: { key: "k", secret: "s" }, debug: true });
// @ts-expect-error a merged setting keeps its type
new Application([], { pluginGreeting: 42 });
expectTypeOf<ApplicationSettings["pluginOauth"]>().toEqualTypeOf<{ key: string; secret: string } | undefined>();
expectTypeOf(greeting).returns.toBeString();
// websocket's settings are declared the same way, in @tornado/websocket (not imported here).
// @ts-expect-error unknown without that package
new Application([], { websocketPingInterval: 10 });

class Settings extends RequestHandler {
  override get(): void {
    expectTypeOf(this.settings.pluginGreeting).toEqualTypeOf<string | undefined>();
    this.requireSetting("cookieSecret", "secure cookies");
    this.requireSetting("pluginGreeting");
    // @ts-expect-error requireSetting takes a setting's name
    this.requireSetting("cookieSecert");
  }
}
void Settings;

// ---------------------------------------------------------------- decorators

class Protected extends RequestHandler {
  override getCurrentUser(): string | null {
    return this.getSignedCookie("user");
  }

  @authenticated
  override async get(): Promise<void> {
    await this.flush();
  }

  @authenticated
  override post(): void {
    this.write("ok");
  }

  @addslash
  override put(): void {}
}
void Protected;

const wrapped = authenticated(async function (this: RequestHandler, id: string): Promise<number> {
  return id.length;
});
expectTypeOf(wrapped).parameters.toEqualTypeOf<[id: string]>();
// The wrapper awaits the user: a Promise of the method's result, undefined when it redirected.
expectTypeOf(wrapped).returns.toEqualTypeOf<Promise<number | undefined>>();

class TypedProtected extends RequestHandler<[id: string]> {
  @authenticated
  override async get(id: string): Promise<void> {
    this.write(id);
  }
}
new Application([["/typed-protected/([0-9]+)", TypedProtected]]);

class SyncResult extends RequestHandler {
  // @ts-expect-error the wrapper is async: a method returning a value synchronously cannot keep its type
  @authenticated
  override get(): string {
    return "not a promise";
  }
}
void SyncResult;

// ---------------------------------------------------------------- @internal members are not published

declare const handler: RequestHandler;
// @ts-expect-error internal: Application's entry into a handler
handler._execute(null, [], undefined);
// @ts-expect-error internal
void handler._start(undefined, false);
// @ts-expect-error internal
handler._handleRequestException(new Error("x"));
// Public, documented hooks stay.
expectTypeOf(handler._requestSummary).returns.toBeString();
expectTypeOf(handler.getStatus).returns.toBeNumber();
