// Keeps the README's Errors table true, and pins the error classes' fields.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  HTTPCLIENT_ERROR_CODES,
  HTTPClientClosedError,
  HTTPClientError,
  HTTPRequestOptionError,
  HTTPStreamClosedError,
  HTTPTimeoutError,
} from "@tornado/httpclient";

test("README lists every error code", () => {
  const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
  const table = readme.split("## Errors")[1]!.split("\n## ")[0]!;
  const listed = [...table.matchAll(/`(TORNADO_ERR_[A-Z_]+)`/g)].map((match) => match[1]);
  expect(listed.sort()).toEqual(Object.values(HTTPCLIENT_ERROR_CODES).sort());
});

test("HTTPClientError reads like Tornado's (HTTPErrorTestCase)", () => {
  const plain = new HTTPClientError(403);
  expect(plain.message).toBe("HTTP 403: Forbidden");
  expect(plain.reason).toBe("Forbidden");
  expect(plain.code).toBe(403);
  expect(plain.name).toBe("HTTPClientError");
  expect(plain.errorCode).toBe("TORNADO_ERR_HTTPCLIENT_HTTP_STATUS");
  expect(new HTTPClientError(599).message).toBe("HTTP 599: Unknown");
  expect(new HTTPClientError(404, "Gone Fishing").message).toBe("HTTP 404: Gone Fishing");
});

test("599 errors are HTTPClientErrors with their own codes", () => {
  const timeout = new HTTPTimeoutError("Timeout during request");
  expect(timeout).toBeInstanceOf(HTTPClientError);
  expect(timeout).toBeInstanceOf(HTTPTimeoutError);
  expect(timeout).not.toBeInstanceOf(HTTPStreamClosedError);
  expect(timeout.code).toBe(599);
  expect(timeout.errorCode).toBe(HTTPCLIENT_ERROR_CODES.HTTPTimeoutError);
  expect(timeout.name).toBe("HTTPTimeoutError");
  const cause = new Error("connect ECONNREFUSED");
  const closed = new HTTPStreamClosedError("Stream closed", cause);
  expect(closed.realError).toBe(cause);
  expect(closed.cause).toBe(cause);
  expect(closed.message).toBe("HTTP 599: Stream closed: connect ECONNREFUSED");
  expect(closed.errorCode).toBe(HTTPCLIENT_ERROR_CODES.HTTPStreamClosedError);
});

test("option and closed errors carry a string code", () => {
  const option = new HTTPRequestOptionError("requestTimeout", "bad");
  expect(option).toBeInstanceOf(TypeError);
  expect(option.code).toBe("TORNADO_ERR_HTTPCLIENT_INVALID_OPTION");
  expect(option.option).toBe("requestTimeout");
  expect(new HTTPClientClosedError().message).toBe("fetch() called on closed AsyncHTTPClient");
});
