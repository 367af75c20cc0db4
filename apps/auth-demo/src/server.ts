/**
 * Starts the demo as `pnpm start` runs it (main.ts) and as the tests do: binds the port,
 * starts the local provider when no OIDC_ISSUER is given (its client registered for this
 * port's callback), then serves. Tornado's bind_sockets / add_sockets order: the port is
 * known before the provider is configured, and no request arrives before it is.
 */

import { bindSockets, HTTPServer } from "@tornado/tornado";
import { AuthDemoApplication } from "./app";
import { OIDC_SCOPE } from "./handlers/login-handlers";
import { DEMO_USER, startLocalProvider, type LocalProvider } from "./local-provider";
import type { AuthDemoOptions } from "./options";

export interface AuthDemo {
  app: AuthDemoApplication;
  server: HTTPServer;
  /** The URL to open, without a trailing slash. */
  url: string;
  /** The OpenID Connect issuer logins go to. */
  issuer: string;
  /** Null with your own provider. */
  localProvider: LocalProvider | null;
  /** Stops serving, closes connections, the login client and the local provider. Safe to call twice. */
  stop(): Promise<void>;
}

export type StartOptions = AuthDemoOptions;

export async function startAuthDemo(options: StartOptions): Promise<AuthDemo> {
  const sockets = await bindSockets(options.port, options.address);
  const { port } = sockets[0]!.address() as { port: number };
  const host = options.address === "0.0.0.0" || options.address === "::" || options.address === "" ? "127.0.0.1" : options.address;
  const url = options.publicUrl ?? `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let localProvider: LocalProvider | null = null;
  try {
    let provider = options.oidc;
    if (provider === undefined) {
      localProvider = await startLocalProvider({ redirectUri: `${url}/auth/login`, postLogoutRedirectUri: `${url}/`, port: options.providerPort });
      provider = { issuer: localProvider.issuer, clientId: localProvider.clientId, clientSecret: localProvider.clientSecret };
    }
    const app = new AuthDemoApplication({
      cookieSecret: options.cookieSecret,
      publicUrl: url,
      openidConnect: {
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        redirectUri: `${url}/auth/login`,
        postLogoutRedirectUri: `${url}/`,
        scope: OIDC_SCOPE,
      },
      githubOauth: options.github && { ...options.github, redirectUri: `${url}/auth/github` },
      googleOauth: options.google && { ...options.google, redirectUri: `${url}/auth/google` },
      demoLogin: localProvider ? { login: DEMO_USER.login, password: DEMO_USER.password } : undefined,
      debug: options.debug,
    });
    const server = new HTTPServer(app);
    server.addSockets(sockets);
    let stopped: Promise<void> | undefined;
    return {
      app,
      server,
      url,
      issuer: provider.issuer,
      localProvider,
      stop() {
        stopped ??= (async () => {
          server.stop();
          await server.closeAllConnections();
          await app.close();
          await localProvider?.stop();
        })();
        return stopped;
      },
    };
  } catch (error) {
    for (const socket of sockets) socket.close();
    await localProvider?.stop();
    throw error;
  }
}
