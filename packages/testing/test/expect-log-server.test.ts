// ExpectLog against what our HTTPServer really logs (testing_test.py's ExpectLog cases, with
// the records coming from a live server instead of direct logger calls).
import * as net from "node:net";
import { LogLevel, appLog, genLog } from "@tornado/ioloop";
import { HTTPHeaders, ResponseStartLine } from "@tornado/httputil";
import type { HTTPServerRequest } from "@tornado/httpserver";
import { HTTPStreamClosedError } from "@tornado/httpclient";
import { ExpectLog, useHTTPTestServer } from "@tornado/testing";

const server = useHTTPTestServer(
  () => async (request: HTTPServerRequest) => {
    if (request.path === "/boom") throw new Error("handler exploded");
    await request.connection!.writeHeaders(
      new ResponseStartLine("HTTP/1.1", 200, "OK"),
      new HTTPHeaders({ "Content-Length": "2" }),
      Buffer.from("ok"),
    );
    request.connection!.finish();
  },
  { checkOpenHandles: true },
);

test("an exception in the request callback is logged on tornado.application with its stack", async () => {
  const expectation = new ExpectLog(appLog, /^Uncaught exception in request callback for GET \/boom$/).start();
  try {
    // The server logs, then closes the connection: the fetch fails with a 599.
    await expect(server.fetch("/boom")).rejects.toBeInstanceOf(HTTPStreamClosedError);
  } finally {
    expectation.finish();
  }
  expect(expectation.matched).toBe(1);
  expect(expectation.loggedStack).toBe(true);
  expect((await server.fetch("/fine")).text).toBe("ok");
});

test("a malformed request is logged at INFO on tornado.general (level option)", async () => {
  await ExpectLog.run(
    genLog,
    /^Malformed HTTP message from 127\.0\.0\.1/,
    async () => {
      const socket = net.connect(server.port, "127.0.0.1");
      socket.write("GET / HTTP/1.1\r\nBad Header\r\n\r\n");
      socket.resume();
      await new Promise((resolve) => socket.once("close", resolve));
    },
    { level: LogLevel.INFO, failOnUnexpected: true },
  );
});
