/**
 * A scripted visitor of the blog: Node's fetch (undici) with a cookie jar, the XSRF token
 * taken from the cookie the server set, and no redirect following, so that each test sees
 * every status and Location.
 */

export interface Visit {
  status: number;
  location: string | null;
  text: string;
  headers: Headers;
}

export class Visitor {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  async request(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<Visit> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size > 0) headers.Cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const response = await fetch(this.base + path, { method, headers, body: init.body, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const expired = attributes.some((attribute) => {
        const [key, value = ""] = attribute.trim().split("=");
        if (/^max-age$/i.test(key)) return Number(value) <= 0;
        return /^expires$/i.test(key) && Date.parse(value) <= Date.now();
      });
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(at + 1).trim());
    }
    return { status: response.status, location: response.headers.get("location"), text: await response.text(), headers: response.headers };
  }

  get(path: string): Promise<Visit> {
    return this.request("GET", path);
  }

  /** A form POST; `_xsrf` is added from the cookie (fetched first from a page with a form) unless `xsrf: false`. */
  async post(path: string, fields: Record<string, string>, options: { xsrf?: boolean } = {}): Promise<Visit> {
    const form = new URLSearchParams(fields);
    if (options.xsrf !== false) {
      if (!this.cookies.has("_xsrf")) await this.get("/auth/logout"); // a form page that always renders
      form.set("_xsrf", this.xsrfToken());
    }
    return this.request("POST", path, {
      body: form.toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
  }

  /** The XSRF cookie's value, which the server accepts as the form field too (double submit). */
  xsrfToken(): string {
    const value = this.cookies.get("_xsrf");
    if (value === undefined) throw new Error("no _xsrf cookie yet");
    return value.replace(/^"|"$/g, "");
  }
}
