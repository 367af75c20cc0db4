// One benchmark server in its own process: `node server.js <framework> <table>`.
// framework: tornado | fastify | express | hono | container (express in NodeContainer); table: basic | param1 | param200.
//   basic    GET / -> "Hello, World!" (text), GET /json -> {"message":"Hello, World!"}
//   param1   GET /users/:id -> {"id":":id"} in a 1-route table
//   param200 the same route last in a 200-route table (199 other /rN/:id routes first)
// Sends {port} to the parent over IPC once listening.
"use strict";

const [framework, table] = process.argv.slice(2);
const HELLO = "Hello, World!";

function fillers() {
  const routes = [];
  if (table === "param200") for (let i = 0; i < 199; i++) routes.push(`r${i}`);
  return routes;
}

async function tornado() {
  // TORNADO_WEB: another build of @tornado/web (run.js --baseline).
  const { Application, RequestHandler } = require(process.env.TORNADO_WEB || "@tornado/web");
  const { accessLog, LogLevel } = require("@tornado/ioloop");
  // Python Tornado logs access lines only when logging is configured (its default level
  // drops INFO); do the same so both sides measure the framework, not stderr.
  accessLog.level = LogLevel.WARNING;
  class Hello extends RequestHandler {
    get() {
      this.write(HELLO);
    }
  }
  class Json extends RequestHandler {
    get() {
      this.write({ message: HELLO });
    }
  }
  class User extends RequestHandler {
    get(id) {
      this.write({ id });
    }
  }
  const rules = [];
  if (table === "basic") rules.push(["/", Hello], ["/json", Json]);
  for (const name of fillers()) rules.push([`/${name}/([0-9]+)`, User]);
  if (table !== "basic") rules.push(["/users/([0-9]+)", User]);
  const app = new Application(rules);
  const server = await app.listen(0, "127.0.0.1");
  return portOf(server);
}

function portOf(server) {
  return server.boundPorts()[0];
}

async function fastify() {
  const app = require("fastify")({ logger: false });
  if (table === "basic") {
    app.get("/", async (_request, reply) => {
      reply.type("text/html; charset=UTF-8");
      return HELLO;
    });
    app.get("/json", async () => ({ message: HELLO }));
  }
  for (const name of fillers()) app.get(`/${name}/:id`, async (request) => ({ id: request.params.id }));
  if (table !== "basic") app.get("/users/:id", async (request) => ({ id: request.params.id }));
  await app.listen({ port: 0, host: "127.0.0.1" });
  return app.server.address().port;
}

function expressApp() {
  const app = require("express")();
  app.set("etag", false);
  app.disable("x-powered-by");
  if (table === "basic") {
    app.get("/", (_request, response) => response.send(HELLO));
    app.get("/json", (_request, response) => response.json({ message: HELLO }));
  }
  for (const name of fillers()) app.get(`/${name}/:id`, (request, response) => response.json({ id: request.params.id }));
  if (table !== "basic") app.get("/users/:id", (request, response) => response.json({ id: request.params.id }));
  return app;
}

async function express() {
  const app = expressApp();
  return new Promise((resolve) => {
    const server = app.listen(0, "127.0.0.1", () => resolve(server.address().port));
  });
}

// The same express app behind @tornado/web's NodeContainer, on Tornado's HTTPServer: what a
// team pays per request while its old routes still run in express.
async function container() {
  const { Application, NodeContainer } = require(process.env.TORNADO_WEB || "@tornado/web");
  const { accessLog, LogLevel } = require("@tornado/ioloop");
  accessLog.level = LogLevel.WARNING;
  const app = new Application([[".*", new NodeContainer(expressApp())]]);
  return portOf(await app.listen(0, "127.0.0.1"));
}

async function hono() {
  const { Hono } = require("hono");
  const { serve } = require("@hono/node-server");
  const app = new Hono();
  if (table === "basic") {
    app.get("/", (c) => c.html(HELLO));
    app.get("/json", (c) => c.json({ message: HELLO }));
  }
  for (const name of fillers()) app.get(`/${name}/:id`, (c) => c.json({ id: c.req.param("id") }));
  if (table !== "basic") app.get("/users/:id", (c) => c.json({ id: c.req.param("id") }));
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => resolve(info.port));
    void server;
  });
}

const frameworks = { tornado, fastify, express, hono, container };
if (!frameworks[framework] || !["basic", "param1", "param200"].includes(table)) {
  console.error("usage: node server.js <tornado|fastify|express|hono|container> <basic|param1|param200>");
  process.exit(2);
}
frameworks[framework]().then(
  (port) => {
    if (process.send) process.send({ port });
    else console.log(port);
    process.on("SIGTERM", () => process.exit(0));
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
