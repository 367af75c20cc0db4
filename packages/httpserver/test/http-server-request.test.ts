import { HTTPHeaders, HTTPInputError } from "@tornado/httputil";
import { genLog, setLogHandler, stderrLogHandler, type LogRecord } from "@tornado/ioloop";
import { HTTPServerRequest } from "../src/index";

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
});
