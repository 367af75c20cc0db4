/**
 * A scripted browser for login flows: an AsyncHTTPClient that follows redirects itself and
 * keeps cookies as a browser does (per host name, whatever the port; Path and expiry
 * honoured), so that a test can sign in at a provider's pages and land back on the app.
 */

import { AsyncHTTPClient, type HTTPResponse } from "@tornado/httpclient";

interface StoredCookie {
  host: string;
  name: string;
  value: string;
  path: string;
}

export interface BrowserRequest {
  method?: string;
  /** A form body, sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
}

export interface Visit {
  /** The last URL fetched (or the one `stopBefore` refused). */
  url: URL;
  /** The last answer fetched (the redirect to `url` when `stopBefore` stopped the walk). */
  response?: HTTPResponse;
  /** `stopBefore` refused `url`, which was not fetched. */
  stopped: boolean;
  /** Every URL fetched, in order. */
  history: string[];
}

function defaultPath(url: URL): string {
  const path = url.pathname;
  const slash = path.lastIndexOf("/");
  return slash <= 0 ? "/" : path.slice(0, slash);
}

function pathMatches(cookiePath: string, requestPath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

export class Browser {
  readonly client = new AsyncHTTPClient({ defaults: { requestTimeout: 20 } });
  readonly #cookies: StoredCookie[] = [];

  /** The cookies this browser would send to `url`, by name. */
  cookiesFor(url: string | URL): Map<string, string> {
    const target = new URL(url);
    const found = new Map<string, string>();
    for (const cookie of this.#cookies) {
      if (cookie.host === target.hostname && pathMatches(cookie.path, target.pathname)) found.set(cookie.name, cookie.value);
    }
    return found;
  }

  /** Sets (or, with `undefined`, deletes) a cookie for `url`'s host at path "/". */
  setCookie(url: string | URL, name: string, value: string | undefined): void {
    const host = new URL(url).hostname;
    this.#remove(host, name, "/");
    if (value !== undefined) this.#cookies.push({ host, name, value, path: "/" });
  }

  #remove(host: string, name: string, path: string): void {
    const index = this.#cookies.findIndex((cookie) => cookie.host === host && cookie.name === name && cookie.path === path);
    if (index >= 0) this.#cookies.splice(index, 1);
  }

  #store(url: URL, header: string): void {
    const [pair = "", ...attributes] = header.split(";");
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let path = defaultPath(url);
    let expired = false;
    for (const attribute of attributes) {
      const [key = "", ...rest] = attribute.split("=");
      const attributeValue = rest.join("=").trim();
      const lower = key.trim().toLowerCase();
      if (lower === "path" && attributeValue.startsWith("/")) path = attributeValue;
      else if (lower === "max-age") expired ||= Number(attributeValue) <= 0;
      else if (lower === "expires") expired ||= Date.parse(attributeValue) <= Date.now();
    }
    this.#remove(url.hostname, name, path);
    if (!expired) this.#cookies.push({ host: url.hostname, name, value, path });
  }

  /** One request, without following redirects; Set-Cookie is stored. */
  async request(url: string | URL, request: BrowserRequest = {}): Promise<HTTPResponse> {
    const target = new URL(url);
    const headers: Record<string, string> = {};
    const cookies = [...this.cookiesFor(target)].map(([name, value]) => `${name}=${value}`).join("; ");
    if (cookies) headers.Cookie = cookies;
    let body: string | undefined;
    if (request.form !== undefined) {
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(request.form).toString();
    }
    const response = await this.client.fetch(target.href, {
      method: request.method ?? (body !== undefined ? "POST" : "GET"),
      headers,
      body,
      followRedirects: false,
      raiseError: false,
    });
    for (const header of response.headers.getList("Set-Cookie")) this.#store(target, header);
    return response;
  }

  /**
   * Requests `url` and follows redirects (a 303, or a 301/302 after a POST, becomes a GET) until
   * an answer that is not a redirect, or until `stopBefore` refuses the next URL.
   */
  async visit(url: string | URL, request: BrowserRequest = {}, stopBefore?: (next: URL) => boolean): Promise<Visit> {
    let target = new URL(url);
    let current = request;
    const history: string[] = [];
    let response: HTTPResponse | undefined;
    for (let hop = 0; hop < 20; hop++) {
      if (stopBefore?.(target)) return { url: target, response, history, stopped: true };
      history.push(target.href);
      response = await this.request(target, current);
      const location = response.headers.get("Location");
      if (response.code < 300 || response.code >= 400 || location === undefined) return { url: target, response, history, stopped: false };
      target = new URL(location, target);
      if (response.code === 303 || current.form !== undefined) current = {};
    }
    throw new Error(`more than 20 redirects from ${String(url)}`);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
