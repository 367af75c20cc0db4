/**
 * @tornado/tornado: the meta-package. Every @tornado package, re-exported as a namespace
 * (`import { web, ioloop } from "@tornado/tornado"`) and by its flat names, with no code of
 * its own.
 *
 * @example
 * import { Application, RequestHandler, IOLoop } from "@tornado/tornado";
 * class MainHandler extends RequestHandler { get() { this.write("Hello, Tornado!"); } }
 * const app = new Application([["/", MainHandler]]);
 * app.listen(8888);
 * IOLoop.current().start();
 */
export * as escape from "@tornado/escape";
export * as ioloop from "@tornado/ioloop";
export * as httputil from "@tornado/httputil";
export * as httpserver from "@tornado/httpserver";
export * as httpclient from "@tornado/httpclient";
export * as template from "@tornado/template";
export * as web from "@tornado/web";
export * as websocket from "@tornado/websocket";
export * as pubsub from "@tornado/pubsub";
export * as auth from "@tornado/auth";
export * as testing from "@tornado/testing";

// Flat names. The packages keep their exported names distinct, so none is shadowed; a
// test (test/meta-package.test.ts) fails if two packages ever export the same name.
export * from "@tornado/escape";
export * from "@tornado/ioloop";
export * from "@tornado/httputil";
export * from "@tornado/httpserver";
export * from "@tornado/httpclient";
export * from "@tornado/template";
export * from "@tornado/web";
export * from "@tornado/websocket";
export * from "@tornado/pubsub";
export * from "@tornado/auth";
export * from "@tornado/testing";
