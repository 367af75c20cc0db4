/**
 * The small pieces: the accept value (RFC 6455 1.3 vector), ping_sleep_time, the mask
 * function (MaskFunctionMixin vectors), handshake helpers, option validation and the error
 * classes (codes, names, instanceof).
 */

import { HTTPHeaders } from "@tornado/httputil";
import {
  WEBSOCKET_ERROR_CODES,
  WebSocketClosedError,
  WebSocketError,
  WebSocketValueError,
  computeAcceptValue,
  pingSleepTime,
  websocketConnect,
  websocketMask,
} from "@tornado/websocket";
import { checkHandshakeHeaders, checkUpgrade, parseSubprotocols, sameHostOrigin } from "../src/handshake";
import { pingTimes } from "../src/websocket-protocol";

describe("computeAcceptValue", () => {
  it("matches RFC 6455's sample", () => {
    expect(computeAcceptValue("dGhlIHNhbXBsZSBub25jZQ==")).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  });
});

describe("pingSleepTime", () => {
  it("is max(0, last + interval - now)", () => {
    const noon = Date.UTC(2026, 0, 1, 12, 0, 0) / 1000;
    expect(pingSleepTime({ lastPingTime: noon - 6, interval: 10, now: noon })).toBe(4);
    expect(pingSleepTime({ lastPingTime: noon - 20, interval: 10, now: noon })).toBe(0);
  });

  it("clamps the timeout to the interval and defaults it to the interval (Tornado 6.5)", () => {
    expect(pingTimes({ pingInterval: 2 })).toEqual([2000, 2000]);
    expect(pingTimes({ pingInterval: 2, pingTimeout: 30 })).toEqual([2000, 2000]);
    expect(pingTimes({ pingInterval: 2, pingTimeout: 0.5 })).toEqual([2000, 500]);
    expect(pingTimes({})).toEqual([0, 0]);
    expect(() => pingTimes({ pingInterval: -1 })).toThrow("pingInterval must be a non-negative number of seconds, got -1");
  });
});

describe("websocketMask (MaskFunctionMixin.test_mask)", () => {
  it.each([
    ["abcd", "", ""],
    ["abcd", "b", "\x03"],
    ["abcd", "54321", "TVPVP"],
    ["ZXCV", "98765432", "c`t`olpd"],
    ["\x00\x01\x02\x03", "\xff\xfb\xfd\xfc\xfe\xfa", "\xff\xfa\xff\xff\xfe\xfb"],
    ["\xff\xfb\xfd\xfc", "\x00\x01\x02\x03\x04\x05", "\xff\xfa\xff\xff\xfb\xfe"],
  ])("mask(%j, %j)", (mask, data, expected) => {
    expect(websocketMask(Buffer.from(mask, "latin1"), Buffer.from(data, "latin1"))).toEqual(Buffer.from(expected, "latin1"));
  });

  it.each([0, 1, 2, 3, 5, 6])("refuses a %d-byte mask", (length) => {
    expect(() => websocketMask(Buffer.alloc(length), Buffer.from("x"))).toThrow(WebSocketValueError);
  });
});

describe("handshake checks", () => {
  const base = {
    Host: "example.com",
    Upgrade: "websocket",
    Connection: "keep-alive, Upgrade",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version": "13",
  };
  const headers = (extra: Record<string, string>, omit: string[] = []) => {
    const all: Record<string, string> = { ...base, ...extra };
    for (const name of omit) delete all[name];
    return new HTTPHeaders(all);
  };

  it("accepts versions 7, 8 and 13", () => {
    for (const version of ["7", "8", "13"]) expect(checkHandshakeHeaders(headers({ "Sec-WebSocket-Version": version }))).toBeNull();
  });

  it("answers Tornado's refusals", () => {
    expect(checkUpgrade(headers({ Upgrade: "h2c" }))?.body).toBe('Can "Upgrade" only to "WebSocket".');
    expect(checkUpgrade(headers({ Connection: "close" }))?.body).toBe('"Connection" must be "Upgrade".');
    expect(checkHandshakeHeaders(headers({}, ["Sec-WebSocket-Version"]))).toMatchObject({ status: 426, headers: { "Sec-WebSocket-Version": "7, 8, 13" } });
    expect(checkHandshakeHeaders(headers({ "Sec-WebSocket-Key": "short==" }))).toMatchObject({ status: 400, body: "Missing/Invalid WebSocket headers" });
  });

  it("parses subprotocol lists as tokens", () => {
    expect(parseSubprotocols(undefined)).toEqual([]);
    expect(parseSubprotocols("chat, superchat")).toEqual(["chat", "superchat"]);
    expect(parseSubprotocols("foo;bar")).toBeNull();
    expect(parseSubprotocols("a, a")).toBeNull();
  });

  it("checks Origin as urlparse(origin).netloc.lower() == Host", () => {
    expect(sameHostOrigin("http://Example.com", "example.com")).toBe(true);
    expect(sameHostOrigin("https://example.com:443/x", "example.com:443")).toBe(true);
    expect(sameHostOrigin("example.com", "example.com")).toBe(false);
    expect(sameHostOrigin("http://evil.example.com", "example.com")).toBe(false);
  });
});

describe("websocketConnect option validation", () => {
  it.each([
    ["ftp://x/", {}, "url scheme must be ws, wss, http or https"],
    ["not a url", {}, "url must be an absolute ws, wss, http or https URL"],
    ["ws://127.0.0.1:1/", { connectTimeout: -1 }, "connectTimeout must be a positive number of seconds, got -1"],
    ["ws://127.0.0.1:1/", { maxMessageSize: 0 }, "maxMessageSize must be a positive integer of bytes, got 0"],
    ["ws://127.0.0.1:1/", { pingInterval: Number.NaN }, "pingInterval must be a non-negative number of seconds, got NaN"],
  ])("%s %j", (url, options, message) => {
    expect(() => websocketConnect(url, options)).toThrow(WebSocketValueError);
    expect(() => websocketConnect(url, options)).toThrow(message);
  });
});

describe("errors", () => {
  it("carry Tornado's names, stable codes and instanceof", () => {
    const closed = new WebSocketClosedError();
    expect(closed).toBeInstanceOf(WebSocketError);
    expect(closed).toBeInstanceOf(Error);
    expect([closed.name, closed.code, closed.message]).toEqual(["WebSocketClosedError", "TORNADO_ERR_WEBSOCKET_CLOSED", "WebSocket is closed"]);
    const value = new WebSocketValueError("bad");
    expect(value).toBeInstanceOf(RangeError);
    expect(value.code).toBe(WEBSOCKET_ERROR_CODES.WebSocketValueError);
    expect(new WebSocketError("x").code).toBe("TORNADO_ERR_WEBSOCKET");
  });

  it("are recognised across copies of the package (brand)", () => {
    const foreign = Object.create({ [Symbol.for("tornado.error.TORNADO_ERR_WEBSOCKET_CLOSED")]: true });
    expect(foreign instanceof WebSocketClosedError).toBe(true);
  });
});
