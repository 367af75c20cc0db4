/**
 * The demo as the tests run it: in this process (startAuthDemo, as main.ts calls it) on an
 * ephemeral 127.0.0.1 port, with the local oidc-provider as a child process, stopped (the
 * provider's process included) after the describe block; and the scripted steps of a person
 * at the provider's pages.
 */

import { startAuthDemo, type AuthDemo } from "../../src/server";
import type { AuthDemoOptions } from "../../src/options";
// The scripted browser of @tornado/auth's own login tests (an AsyncHTTPClient with a cookie
// jar per host name that follows redirects), used as is rather than copied.
import { Browser, type Visit } from "../../../../packages/auth/test/support/browser";

export { Browser, type Visit };

export const COOKIE_SECRET = "the auth demo's test cookie secret";

export const DEFAULTS: AuthDemoOptions = {
  port: 0,
  address: "127.0.0.1",
  publicUrl: undefined,
  cookieSecret: COOKIE_SECRET,
  oidc: undefined,
  github: undefined,
  google: undefined,
  providerPort: 0,
  debug: false,
};

/** Starts the demo in beforeAll and stops it in afterAll; `demo()` is the running one. */
export function useAuthDemo(options: Partial<AuthDemoOptions> = {}): () => AuthDemo {
  let demo: AuthDemo | undefined;
  beforeAll(async () => {
    demo = await startAuthDemo({ ...DEFAULTS, ...options });
  });
  afterAll(async () => {
    await demo?.stop();
  });
  return () => {
    if (demo === undefined) throw new Error("the demo is not started yet");
    return demo;
  };
}

/** The one form of `html` whose action matches `action`: its absolute action URL and hidden fields. */
export function formOf(html: string, base: URL, action: RegExp): { action: URL; fields: Record<string, string> } {
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const target = /action="([^"]*)"/.exec(match[1]!)?.[1];
    if (target === undefined || !action.test(target)) continue;
    const fields: Record<string, string> = {};
    for (const input of match[2]!.matchAll(/<input\b[^>]*>/g)) {
      if (!/type="hidden"/.test(input[0])) continue;
      const name = /name="([^"]*)"/.exec(input[0])?.[1];
      const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? "";
      if (name !== undefined) fields[name] = value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
    }
    return { action: new URL(target.replace(/&amp;/g, "&"), base), fields };
  }
  throw new Error(`no form with an action matching ${String(action)} in:\n${html.slice(0, 2000)}`);
}

export function bodyOf(visit: Visit): string {
  return visit.response?.body.toString("utf8") ?? "";
}

/** At the provider's sign-in page (where `visit` ended): submits the user name and password, following redirects. */
export async function signInAtProvider(browser: Browser, visit: Visit, login: string, password: string, stopBefore?: (next: URL) => boolean): Promise<Visit> {
  if (visit.response?.code !== 200 || !/\/interaction\//.test(visit.url.pathname)) {
    throw new Error(`not at the provider's sign-in page: ${visit.url.href} answered ${String(visit.response?.code)}`);
  }
  const form = formOf(bodyOf(visit), visit.url, /\/login$/);
  return browser.visit(form.action, { form: { ...form.fields, login, password } }, stopBefore);
}

/** From `path` on the demo (default the login link) through the provider's sign-in to the page after it; `history` covers the whole walk. */
export async function logIn(browser: Browser, demo: AuthDemo, path = "/auth/login"): Promise<Visit> {
  const atProvider = await browser.visit(`${demo.url}${path}`);
  const visit = await signInAtProvider(browser, atProvider, "alice", "wonderland");
  return { ...visit, history: [...atProvider.history, ...visit.history] };
}
