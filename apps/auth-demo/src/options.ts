/**
 * The demo's command line (`--port=8888`), with environment variables as the fallback, and
 * the providers from the environment: OIDC_ISSUER / OIDC_CLIENT_ID / OIDC_CLIENT_SECRET for
 * your own OpenID Connect provider (none: the local one), GITHUB_CLIENT_ID / _SECRET and
 * GOOGLE_CLIENT_ID / _SECRET for the GitHub and Google buttons. Parsed with Node's
 * `util.parseArgs` until @tornado/ioloop has Tornado's `define`/`parseCommandLine` (issue 16).
 */

import { parseArgs } from "node:util";

/** A client registered with an OAuth 2.0 provider (GitHub, Google). */
export interface ClientKeys {
  key: string;
  secret: string;
}

/** Your own OpenID Connect provider. */
export interface ExternalProvider {
  issuer: string;
  clientId: string;
  /** None: a public client (PKCE only, `token_endpoint_auth_method=none`). */
  clientSecret: string | undefined;
}

export interface AuthDemoOptions {
  port: number;
  address: string;
  /** The URL the browser reaches the app at; the callbacks are registered under it. Default `http://<address>:<port>`. */
  publicUrl: string | undefined;
  cookieSecret: string | undefined;
  /** Undefined: start the local provider. */
  oidc: ExternalProvider | undefined;
  github: ClientKeys | undefined;
  google: ClientKeys | undefined;
  /** The local provider's port; 0 = any free one. */
  providerPort: number;
  debug: boolean;
}

export const USAGE = `Usage: node dist/main.js [--port=8888] [--address=127.0.0.1] [--public_url=http://127.0.0.1:8888]
       [--cookie_secret=...] [--provider_port=0] [--debug]
Environment: PORT, PUBLIC_URL, COOKIE_SECRET, PROVIDER_PORT (the options win);
  OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET (none: a local provider is started);
  GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET; GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET.`;

function portOf(name: string, text: string): number {
  const port = Number(text);
  if (!/^[0-9]{1,5}$/.test(text) || port > 65535) throw new Error(`${name} must be a port number from 0 to 65535, got ${JSON.stringify(text)}`);
  return port;
}

/** Both variables of a key pair, or neither; one alone is a mistake worth stopping for. */
function keysOf(env: NodeJS.ProcessEnv, prefix: string): ClientKeys | undefined {
  const key = env[`${prefix}_CLIENT_ID`] || undefined;
  const secret = env[`${prefix}_CLIENT_SECRET`] || undefined;
  if (key === undefined && secret === undefined) return undefined;
  if (key === undefined || secret === undefined) throw new Error(`set both ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET, or neither`);
  return { key, secret };
}

function externalProvider(env: NodeJS.ProcessEnv): ExternalProvider | undefined {
  const issuer = env.OIDC_ISSUER || undefined;
  const clientId = env.OIDC_CLIENT_ID || undefined;
  const clientSecret = env.OIDC_CLIENT_SECRET || undefined;
  if (issuer === undefined) {
    if (clientId !== undefined || clientSecret !== undefined) throw new Error("OIDC_CLIENT_ID and OIDC_CLIENT_SECRET need OIDC_ISSUER");
    return undefined;
  }
  if (clientId === undefined) throw new Error("OIDC_ISSUER needs OIDC_CLIENT_ID");
  try {
    new URL(issuer);
  } catch {
    throw new Error(`OIDC_ISSUER must be a URL, got ${JSON.stringify(issuer)}`);
  }
  return { issuer, clientId, clientSecret };
}

/** Parses `argv` (without node and the script) and `env`; throws with a message naming a bad value. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): AuthDemoOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      address: { type: "string" },
      public_url: { type: "string" },
      cookie_secret: { type: "string" },
      provider_port: { type: "string" },
      debug: { type: "boolean" },
    },
    strict: true,
  });
  const publicUrl = values.public_url ?? (env.PUBLIC_URL || undefined);
  if (publicUrl !== undefined && !/^https?:\/\/[^/]+\/?$/.test(publicUrl)) {
    throw new Error(`--public_url must be an http(s) origin such as https://demo.example, got ${JSON.stringify(publicUrl)}`);
  }
  return {
    port: portOf("--port", values.port ?? env.PORT ?? "8888"),
    address: values.address ?? "127.0.0.1",
    publicUrl: publicUrl?.replace(/\/$/, ""),
    cookieSecret: values.cookie_secret ?? (env.COOKIE_SECRET || undefined),
    oidc: externalProvider(env),
    github: keysOf(env, "GITHUB"),
    google: keysOf(env, "GOOGLE"),
    providerPort: portOf("--provider_port", values.provider_port ?? env.PROVIDER_PORT ?? "0"),
    debug: values.debug ?? false,
  };
}
