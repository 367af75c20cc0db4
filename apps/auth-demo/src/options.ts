/**
 * The demo's options, defined as Tornado's auth demos define them and parsed by main.ts's
 * `parseCommandLine()` (`--port=8888`, `--help`), which also reads the environment variables
 * the README documents; the command line wins. The providers: OIDC_ISSUER / OIDC_CLIENT_ID /
 * OIDC_CLIENT_SECRET for your own OpenID Connect provider (none: the local one), GITHUB_ and
 * GOOGLE_CLIENT_ID / _SECRET for the GitHub and Google buttons.
 */

import { define, OptionsError } from "@tornado/tornado";

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

/** What startAuthDemo takes: the options, checked and grouped. */
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

export const options = define("port", { type: "int", default: 8888, env: "PORT", help: "run on the given port" })
  .define("address", { default: "127.0.0.1", help: "listen on this address (0.0.0.0: every interface)" })
  .define("public_url", { type: "string", env: "PUBLIC_URL", metavar: "URL", help: "the origin browsers use (https://demo.example); default http://<address>:<port>" })
  .define("cookie_secret", { type: "string", env: "COOKIE_SECRET", help: "signs the session cookies; none: a random one, so logins end with the process" })
  .define("oidc_issuer", { type: "string", env: "OIDC_ISSUER", metavar: "URL", help: "your OpenID Connect provider; none: a local one is started" })
  .define("oidc_client_id", { type: "string", env: "OIDC_CLIENT_ID", help: "this app's client id there" })
  .define("oidc_client_secret", { type: "string", env: "OIDC_CLIENT_SECRET", help: "its secret; none: a public client (PKCE only)" })
  .define("github_client_id", { type: "string", env: "GITHUB_CLIENT_ID", help: "a GitHub OAuth app's client id, for the GitHub button" })
  .define("github_client_secret", { type: "string", env: "GITHUB_CLIENT_SECRET", help: "its secret" })
  .define("google_client_id", { type: "string", env: "GOOGLE_CLIENT_ID", help: "a Google OAuth client's id, for the Google button" })
  .define("google_client_secret", { type: "string", env: "GOOGLE_CLIENT_SECRET", help: "its secret" })
  .define("provider_port", { type: "int", default: 0, env: "PROVIDER_PORT", help: "the local provider's port on 127.0.0.1 (0: any free one)" })
  .define("debug", { default: false, help: "Tornado's debug mode: templates reloaded, tracebacks in error pages" });

/** Both halves of a key pair, or neither; one alone is a mistake worth stopping for. */
function keys(name: "github" | "google", key: string | undefined, secret: string | undefined): ClientKeys | undefined {
  if (!key && !secret) return undefined;
  if (!key || !secret) throw new OptionsError(`set both --${name}_client_id and --${name}_client_secret (or ${name.toUpperCase()}_CLIENT_ID and _SECRET), or neither`);
  return { key, secret };
}

function externalProvider(): ExternalProvider | undefined {
  const { oidcIssuer: issuer, oidcClientId: clientId, oidcClientSecret: clientSecret } = options;
  if (!issuer) {
    if (clientId || clientSecret) throw new OptionsError("--oidc_client_id and --oidc_client_secret (OIDC_CLIENT_ID, OIDC_CLIENT_SECRET) need --oidc_issuer (OIDC_ISSUER)");
    return undefined;
  }
  if (!clientId) throw new OptionsError("--oidc_issuer (OIDC_ISSUER) needs --oidc_client_id (OIDC_CLIENT_ID)");
  if (!URL.canParse(issuer)) throw new OptionsError(`--oidc_issuer (OIDC_ISSUER) must be a URL, got ${JSON.stringify(issuer)}`);
  return { issuer, clientId, clientSecret: clientSecret || undefined };
}

/** The parsed options as startAuthDemo takes them; OptionsError for a combination that cannot work. */
export function demoOptions(): AuthDemoOptions {
  const publicUrl = options.publicUrl || undefined;
  if (publicUrl !== undefined && !/^https?:\/\/[^/]+\/?$/.test(publicUrl)) {
    throw new OptionsError(`--public_url (PUBLIC_URL) must be an http(s) origin such as https://demo.example, got ${JSON.stringify(publicUrl)}`);
  }
  return {
    port: options.port,
    address: options.address,
    publicUrl: publicUrl?.replace(/\/$/, ""),
    cookieSecret: options.cookieSecret || undefined,
    oidc: externalProvider(),
    github: keys("github", options.githubClientId, options.githubClientSecret),
    google: keys("google", options.googleClientId, options.googleClientSecret),
    providerPort: options.providerPort,
    debug: options.debug,
  };
}
