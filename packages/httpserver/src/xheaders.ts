/**
 * Applies `X-Real-Ip` / `X-Forwarded-For` and `X-Scheme` / `X-Forwarded-Proto` to a request's
 * connection context (for a server behind a trusted proxy), restoring it after the request.
 * Tornado: httpserver._HTTPRequestContext._apply_xheaders and _ProxyAdapter.
 */

import { isIP } from "node:net";
import type { HTTPHeaders, RequestStartLine } from "@tornado/httputil";
import type { HTTPConnectionContext } from "./http1-connection-parameters";
import type { HTTPMessageDelegate } from "./interfaces";

/** The remote IP and protocol the proxy headers give, or the context's own. */
export function resolveXHeaders(headers: HTTPHeaders, context: HTTPConnectionContext): { remoteIp: string; protocol: string } {
  let ip = headers.get("X-Forwarded-For") ?? context.remoteIp;
  // Walk the list from the right, skipping trusted downstream proxies.
  const hops = ip.split(",").map((part) => part.trim());
  ip = hops[hops.length - 1]!;
  for (let i = hops.length - 1; i >= 0; i--) {
    ip = hops[i]!;
    if (!context.trustedDownstream?.has(ip)) break;
  }
  ip = headers.get("X-Real-Ip") ?? ip;
  const remoteIp = isIP(ip) !== 0 ? ip : context.remoteIp;
  let proto = headers.get("X-Scheme") ?? headers.get("X-Forwarded-Proto") ?? context.protocol;
  if (proto) proto = proto.split(",").pop()!.trim();
  const protocol = proto === "http" || proto === "https" ? proto : context.protocol;
  return { remoteIp, protocol };
}

export class XHeadersAdapter implements HTTPMessageDelegate {
  #inner: HTTPMessageDelegate;
  #context: HTTPConnectionContext;
  #saved: { remoteIp: string; protocol: string } | null = null;

  constructor(inner: HTTPMessageDelegate, context: HTTPConnectionContext) {
    this.#inner = inner;
    this.#context = context;
  }

  headersReceived(startLine: RequestStartLine, headers: HTTPHeaders): void | Promise<void> {
    const context = this.#context;
    this.#saved = { remoteIp: context.remoteIp, protocol: context.protocol };
    const resolved = resolveXHeaders(headers, context);
    context.remoteIp = resolved.remoteIp;
    context.protocol = resolved.protocol;
    return this.#inner.headersReceived(startLine, headers);
  }

  dataReceived(chunk: Buffer): void | Promise<void> {
    return this.#inner.dataReceived(chunk);
  }

  finish(): void {
    try {
      this.#inner.finish();
    } finally {
      this.#restore();
    }
  }

  onConnectionClose(): void {
    try {
      this.#inner.onConnectionClose();
    } finally {
      this.#restore();
    }
  }

  #restore(): void {
    if (this.#saved !== null) {
      this.#context.remoteIp = this.#saved.remoteIp;
      this.#context.protocol = this.#saved.protocol;
      this.#saved = null;
    }
  }
}
