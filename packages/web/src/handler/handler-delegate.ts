/**
 * Connects one request to one RequestHandler: buffers the body (or streams it to the
 * handler) and runs the handler when the request is complete. Tornado: web._HandlerDelegate.
 */

import type { HTTPHeaders, RequestStartLine } from "@tornado/httputil";
import type { HTTPMessageDelegate, HTTPServerRequest } from "@tornado/httpserver";
import type { Application } from "../application";
import type { PathArgument } from "../routing/matcher";
import type { OutputTransform } from "../output/output-transform";
import { resetTemplateLoaders } from "../ui/templates";
import type { RequestHandler, RequestHandlerClass } from "./request-handler";

const EMPTY = Buffer.alloc(0);

/** Tornado: web._HandlerDelegate. */
export class HandlerDelegate implements HTTPMessageDelegate {
  readonly streaming: boolean;
  handler: RequestHandler | null = null;
  #chunks: Buffer[] | null = [];

  constructor(
    readonly application: Application,
    readonly request: HTTPServerRequest,
    readonly handlerClass: RequestHandlerClass,
    readonly handlerArgs: unknown,
    readonly pathArgs: PathArgument[],
    readonly pathKwargs: Record<string, PathArgument> | undefined,
  ) {
    this.streaming = handlerClass.streamRequestBody === true;
  }

  headersReceived(_startLine: RequestStartLine, _headers: HTTPHeaders): void | Promise<void> {
    if (this.streaming) return this.#execute();
  }

  dataReceived(chunk: Buffer): void | Promise<void> {
    if (this.streaming) {
      const handler = this.handler;
      // A handler that already answered (an error in prepare) takes no more body.
      if (handler === null || handler.finished) return;
      // An error in dataReceived is answered like any handler error (e.g. 413 from a
      // MultipartParser limit); the rest of the body is then ignored.
      let result: void | Promise<void>;
      try {
        result = handler.dataReceived(chunk);
      } catch (error) {
        handler._failFromBody(error);
        return;
      }
      if (result instanceof Promise) return result.then(undefined, (error: unknown) => handler._failFromBody(error));
      return result;
    }
    this.#chunks?.push(chunk);
  }

  finish(): void {
    if (this.streaming) {
      this.handler?._bodyFinished();
      return;
    }
    const chunks = this.#chunks;
    if (chunks !== null && chunks.length > 0) this.request.body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    else if (this.request.body === undefined) this.request.body = EMPTY;
    void this.#execute();
  }

  onConnectionClose(): void {
    if (this.streaming) this.handler?.onConnectionClose();
    else this.#chunks = null;
  }

  #execute(): Promise<void> | undefined {
    const application = this.application;
    if (application.settings.compiledTemplateCache === false) resetTemplateLoaders();
    const handler = new this.handlerClass(application, this.request);
    this.handler = handler;
    const transformClasses = application.transforms;
    let transforms: OutputTransform[] | null = null;
    if (transformClasses.length > 0) transforms = transformClasses.map((Transform) => new Transform(this.request));
    let prepared: Promise<void> | null;
    try {
      prepared = handler._start(this.handlerArgs, this.streaming);
    } catch (error) {
      // initialize() threw: answer through the normal error path.
      handler._handleRequestException(error);
      return undefined;
    }
    handler._execute(transforms, this.pathArgs, this.pathKwargs);
    return prepared ?? undefined;
  }
}
