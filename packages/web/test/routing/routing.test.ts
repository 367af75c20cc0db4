import { HTTPHeaders } from "@tornado/httputil";
import { HTTPServerRequest } from "@tornado/httpserver";
import {
  AnyMatches,
  CannotReverseError,
  DefaultHostMatches,
  HostMatches,
  PathMatches,
  ReversibleRuleRouter,
  Rule,
  RuleRouter,
  RouteError,
  url,
  type RuleLike,
  type TargetParams,
} from "@tornado/web";
import { firstSegmentOf, literalPrefix } from "../../src/routing/path-pattern";

function request(uri: string, host = "127.0.0.1", extra: Record<string, string> = {}): HTTPServerRequest {
  return new HTTPServerRequest({ uri, headers: new HTTPHeaders({ Host: host, ...extra }) });
}

function args(params: TargetParams | null): unknown {
  if (params === null) return null;
  const decode = (value: unknown) => (Buffer.isBuffer(value) ? value.toString("utf8") : value);
  if (params.pathKwargs && Object.keys(params.pathKwargs).length > 0) {
    return Object.fromEntries(Object.entries(params.pathKwargs).map(([k, v]) => [k, decode(v)]));
  }
  return (params.pathArgs ?? []).map(decode);
}

describe("PathMatches (Tornado: routing.PathMatches)", () => {
  it("appends $ to string patterns and matches from the start", () => {
    const matcher = new PathMatches("/foo");
    expect(matcher.match(request("/foo"))).not.toBeNull();
    expect(matcher.match(request("/foo/bar"))).toBeNull();
    expect(matcher.match(request("/x/foo"))).toBeNull();
  });

  it("keeps a trailing $ and a leading ^", () => {
    const matcher = new PathMatches("^/foo$");
    expect(matcher.match(request("/foo?x=1"))).not.toBeNull();
    expect(matcher.match(request("/foox"))).toBeNull();
  });

  it("uses RegExp objects as given (anchored at the start only, as re.match)", () => {
    const matcher = new PathMatches(/\/foo/);
    expect(matcher.match(request("/foobar"))).not.toBeNull();
    expect(matcher.match(request("/x/foo"))).toBeNull();
    expect(new PathMatches(/\/FOO$/i).match(request("/foo"))).not.toBeNull();
  });

  it("passes positional groups url-unescaped, '+' kept literal (RequestEncodingTest)", () => {
    expect(args(new PathMatches("/group/(.*)").match(request("/group/%3F")))).toEqual(["?"]);
    expect(args(new PathMatches("/group/(.*)").match(request("/group/%C3%A9")))).toEqual(["é"]);
    expect(args(new PathMatches("/slashes/([^/]*)/([^/]*)").match(request("/slashes/a%2Fb/c%2Fd")))).toEqual(["a/b", "c/d"]);
    expect(args(new PathMatches("/p/(.*)").match(request("/p/1%20+%201")))).toEqual(["1 + 1"]);
  });

  it("gives raw bytes for non-UTF-8 escapes", () => {
    const params = new PathMatches("/d/(.*)").match(request("/d/%E9"));
    expect(params!.pathArgs![0]).toEqual(Buffer.from([0xe9]));
  });

  it("passes named groups (Python (?P<name>) syntax too) as pathKwargs", () => {
    expect(args(new PathMatches("/str/(?P<path>.*)").match(request("/str/foo")))).toEqual({ path: "foo" });
    expect(args(new PathMatches("/js/(?<id>\\d+)").match(request("/js/42")))).toEqual({ id: "42" });
  });

  it("gives null for an optional group that did not take part", () => {
    expect(args(new PathMatches("/optional_path/(.+)?").match(request("/optional_path/")))).toEqual([null]);
    expect(args(new PathMatches("/optional_path/(.+)?").match(request("/optional_path/foo")))).toEqual(["foo"]);
  });

  it("rejects bad patterns with RouteError", () => {
    expect(() => new PathMatches("/(unclosed")).toThrow(RouteError);
    expect(() => new PathMatches(42 as unknown as string)).toThrow(RouteError);
  });
});

describe("reverse (URLSpecReverseTest)", () => {
  it("reverses literal patterns", () => {
    expect(url("/favicon\\.ico", Object).reverse()).toBe("/favicon.ico");
    expect(url("^/favicon\\.ico$", Object).reverse()).toBe("/favicon.ico");
  });

  it("refuses complex patterns, but constructs them", () => {
    const spec = url("^/api/v\\d+/foo/(\\w+)$", Object);
    expect(() => spec.reverse("bar")).toThrow(CannotReverseError);
    expect(() => spec.reverse("bar")).toThrow(/Cannot reverse url regex/);
  });

  it("fills groups", () => {
    expect(url("^/api/v1/foo/(\\w+)$", Object).reverse("bar")).toBe("/api/v1/foo/bar");
    expect(url("/api\\.v1/foo/([0-9]+)/icon\\.png", Object).reverse(5)).toBe("/api.v1/foo/5/icon.png");
  });

  it("quotes args as quote(arg, safe='/') (WSGISafeWebTest reverse_url)", () => {
    const spec = url("/decode_arg/(.*)", Object);
    expect(spec.reverse("foo")).toBe("/decode_arg/foo");
    expect(spec.reverse(42)).toBe("/decode_arg/42");
    expect(spec.reverse(Buffer.from([0xe9]))).toBe("/decode_arg/%E9");
    expect(spec.reverse("é")).toBe("/decode_arg/%C3%A9");
    expect(spec.reverse("1 + 1")).toBe("/decode_arg/1%20%2B%201");
    expect(spec.reverse("a/b")).toBe("/decode_arg/a/b");
  });

  it("checks the argument count", () => {
    expect(() => url("/a/(\\d+)", Object).reverse()).toThrow(CannotReverseError);
  });
});

describe("HostMatches and DefaultHostMatches", () => {
  it("matches the lowercased host name without port", () => {
    const matcher = new HostMatches("www.example.com");
    expect(matcher.match(request("/", "WWW.Example.com:8080"))).toEqual({});
    expect(matcher.match(request("/", "www.example.com.evil"))).toBeNull();
    expect(new HostMatches("www.e.*e.com").match(request("/", "www.exe.com"))).toEqual({});
  });

  it("DefaultHostMatches follows the application's defaultHost, unless X-Real-Ip is present", () => {
    const app = { defaultHost: "www.example.com" as string | null };
    const matcher = new DefaultHostMatches(app, "www.example.com");
    expect(matcher.match(request("/", "other"))).toEqual({});
    expect(matcher.match(request("/", "other", { "X-Real-Ip": "1.2.3.4" }))).toBeNull();
    app.defaultHost = "www.test.com";
    expect(matcher.match(request("/", "other"))).toBeNull();
  });
});

describe("RuleRouter and ReversibleRuleRouter", () => {
  const found: string[] = [];
  const target = (name: string) => (_request: unknown) => {
    found.push(name);
  };

  function route(router: RuleRouter, uri: string, host?: string): string | null {
    found.length = 0;
    const delegate = router.findHandler(request(uri, host));
    if (delegate === null) return null;
    delegate.finish();
    return found[0] ?? null;
  }

  it("keeps Tornado's first-match order", () => {
    const router = new RuleRouter([
      ["/a/(.*)", target("first")],
      ["/a/b", target("second")],
    ]);
    expect(route(router, "/a/b")).toBe("first");
  });

  it("accepts Rule objects, matchers, nested arrays and nested routers", () => {
    const nested = new RuleRouter([["/n/x", target("nested-router")]]);
    const router = new RuleRouter([
      new Rule(new HostMatches("api\\.example\\.com"), [["/v1", target("api")]]),
      ["/n/.*", nested],
      [new AnyMatches(), target("any")],
    ]);
    expect(route(router, "/v1", "api.example.com")).toBe("api");
    expect(route(router, "/n/x")).toBe("nested-router");
    // The nested router has no match for /n/y: the search goes on.
    expect(route(router, "/n/y")).toBe("any");
  });

  it("rejects malformed rules", () => {
    expect(() => new RuleRouter([["/only-pattern"] as never])).toThrow(RouteError);
    expect(() => new RuleRouter([[42, target("x")] as never])).toThrow(RouteError);
  });

  it("indexes large tables by first segment and keeps order among candidates", () => {
    const rules: RuleLike[] = [];
    for (let i = 0; i < 200; i++) rules.push([`/r${i}/(\\d+)`, target(`r${i}`)]);
    rules.splice(50, 0, ["/(r7)/(7)", target("catch-r7-7")]);
    rules.push(["/r1/(.*)", target("late-r1")]);
    const router = new RuleRouter(rules);
    expect(route(router, "/r199/5")).toBe("r199");
    expect(route(router, "/r7/7")).toBe("r7");
    expect(route(router, "/r7/x")).toBeNull();
    expect(route(router, "/r1/abc")).toBe("late-r1");
    expect(route(router, "/nothing")).toBeNull();
    // Rules added later are seen.
    router.addRules([["/late", target("late")]]);
    expect(route(router, "/late")).toBe("late");
  });

  it("reverses named rules, nested ones included", () => {
    const router = new ReversibleRuleRouter([
      url("/story/([0-9]+)", target("story"), undefined, "story"),
      ["/nested", [url("/nested/(\\w+)", target("n"), undefined, "inner")]],
    ]);
    expect(router.reverseUrl("story", 7)).toBe("/story/7");
    expect(router.reverseUrl("inner", "x")).toBe("/nested/x");
    expect(router.reverseUrl("missing")).toBeNull();
  });
});

describe("literal prefix analysis (route index)", () => {
  it.each([
    ["/users/(\\d+)", "users"],
    ["^/users/(\\d+)$", "users"],
    ["/about", "about"],
    ["/about$", "about"],
    ["/api\\.v1/x", "api.v1"],
    ["/", ""],
    ["/foo/?", null],
    ["/fo+/x", null],
    ["/a|/b", null],
    ["/(.*)", null],
    ["(?:/x)/y", null],
    ["/x?/y", null],
  ])("%s -> %s", (pattern, segment) => {
    const { prefix, complete } = literalPrefix(pattern);
    expect(firstSegmentOf(prefix, complete)).toBe(segment);
  });
});
