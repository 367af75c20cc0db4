import { DEFAULT_PARSE_BODY_CONFIG, HTTPHeaders, HTTPInputError, HTTPTooManyArgumentsError } from "@tornado/httputil";
import { genLog, setLogHandler, stderrLogHandler, type LogRecord } from "@tornado/ioloop";
import { HTTPServerRequest, type HTTPServerRequest as Request } from "../src/index";
import { respond, startServer } from "./helpers";

// Moved from httputil_test's cases with HTTPServerRequest (the class stays in this package).
describe("HTTPServerRequest (httputil_test HTTPServerRequestTest)", () => {
  it("can be built from just a start line; body defaults to empty", () => {
    const request = new HTTPServerRequest({ method: "GET", uri: "/", version: "HTTP/1.0" });
    expect(request.body.length).toBe(0);
    expect(request.host).toBe("127.0.0.1");
  });
  it("does not show headers in its string form", () => {
    const request = new HTTPServerRequest({ method: "GET", uri: "/", headers: new HTTPHeaders({ Canary: "Coal Mine" }) });
    expect(String(request)).not.toContain("Canary");
    expect(String(request)).not.toContain("Coal Mine");
  });
  it("splits path and query, parses arguments lazily and merges them", () => {
    const request = new HTTPServerRequest({
      method: "POST",
      uri: "/p?a=1&b=",
      headers: new HTTPHeaders({ Host: "Example.com:8080", "Content-Type": "application/x-www-form-urlencoded", Cookie: "x=1; /=bad" }),
      body: Buffer.from("a=2"),
    });
    expect(request.path).toBe("/p");
    expect(request.query).toBe("a=1&b=");
    expect(request.hostName).toBe("example.com");
    expect(request.arguments["a"]!.map(String)).toEqual(["1", "2"]);
    expect(request.queryArguments["b"]!.map(String)).toEqual([""]);
    expect([...request.cookies]).toEqual([["x", "1"]]);
    expect(request.fullUrl()).toBe("http://Example.com:8080/p?a=1&b=");
  });

  it("logs and skips a malformed body when read lazily from a request", () => {
    const records: LogRecord[] = [];
    setLogHandler((record) => records.push(record));
    try {
      const request = new HTTPServerRequest({
        method: "POST",
        headers: new HTTPHeaders({ "Content-Type": "multipart/form-data; boundary=1234" }),
        body: Buffer.from("garbage"),
      });
      expect(request.bodyArguments).toEqual({});
      expect(request.files).toEqual({});
      expect(() => request.parseBody()).toThrow(HTTPInputError);
    } finally {
      setLogHandler(stderrLogHandler);
    }
    expect(records.some((r) => r.name === genLog.name && /Invalid body/.test(r.message))).toBe(true);
  });

  it("bounds query arguments by parseBodyConfig, and merges long lists without spreading them", () => {
    const query = Array.from({ length: 1001 }, (_, i) => `a=${i}`).join("&");
    const request = new HTTPServerRequest({ uri: `/?${query}` });
    expect(request.parseBodyConfig).toBe(DEFAULT_PARSE_BODY_CONFIG);
    expect(() => request.queryArguments).toThrow(HTTPTooManyArgumentsError);
    const body = Buffer.from(Array.from({ length: 200_000 }, () => "a=1").join("&"));
    const raised = new HTTPServerRequest({
      method: "POST",
      uri: `/?${query}`,
      headers: new HTTPHeaders({ "Content-Type": "application/x-www-form-urlencoded" }),
      body,
      parseBodyConfig: { urlencoded: { maxArguments: 300_000 } },
    });
    expect(raised.arguments["a"]).toHaveLength(201_001);
  });
});

describe("HTTPServerOptions.parseBodyConfig", () => {
  it("reaches every request through its connection", async () => {
    const seen: Request[] = [];
    const { port, close } = await startServer(
      (request) => {
        seen.push(request);
        respond(request, String(request.bodyArguments["a"]?.length ?? 0));
      },
      { parseBodyConfig: { urlencoded: { maxArguments: 2 } } },
    );
    try {
      const post = (body: string) =>
        fetch(`http://127.0.0.1:${port}/`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body }).then((r) => r.text());
      expect(await post("a=1&a=2")).toBe("2");
      expect(seen[0]!.parseBodyConfig.urlencoded.maxArguments).toBe(2);
    } finally {
      await close();
    }
  });
});
