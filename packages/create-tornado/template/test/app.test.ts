// The app on an ephemeral port for each test (Tornado's AsyncHTTPTestCase), with Node's own
// test runner: `npm test` type-checks, then runs this file with node --test.
import assert from "node:assert/strict";
import { it } from "node:test";
import { useHTTPTestServer } from "@tornado/tornado";
import { makeApp } from "../src/app.js";

const server = useHTTPTestServer(() => makeApp(), { checkOpenHandles: true });

it("greets by name, HTML-escaped", async () => {
  const response = await server.fetch("/?name=<Ada>");
  assert.equal(response.code, 200);
  assert.match(response.text, /<h1>Hello, &lt;Ada&gt;!<\/h1>/);
});

it("serves the stylesheet the page links to", async () => {
  const page = (await server.fetch("/")).text;
  const href = /href="([^"]+style\.css[^"]*)"/.exec(page)?.[1];
  assert.ok(href, "the page links a stylesheet");
  const response = await server.fetch(href);
  assert.equal(response.code, 200);
  assert.match(response.headers.get("Content-Type") ?? "", /^text\/css/);
});

it("answers 404 for an unknown path", async () => {
  assert.equal((await server.fetch("/missing")).code, 404);
});
