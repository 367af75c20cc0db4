/**
 * OpenIdMixin: OpenID 2.0 with Attribute Exchange. Tornado: auth.OpenIdMixin (deprecated in
 * Tornado 6.6, to be removed in 7.0: OpenID 2.0 providers are gone; OpenIdConnectMixin is the
 * modern protocol). Ported for the applications that still speak to one.
 */

import type { AsyncHTTPClient } from "@tornado/httpclient";
import { defaultAuthHttpClient } from "./auth-http-client";
import type { AuthUser } from "./auth-login";
import { AuthConfigError, OpenIdVerificationError } from "./errors";
import type { MixinArguments, RequestHandlerBase } from "./handler-base";
import { fetchFromProvider, providerText } from "./provider-response";
import { formEncode } from "./form-encode";

const AX_NAMESPACE = "http://openid.net/srv/ax/1.0";
const KNOWN_ATTRIBUTES: Record<string, string> = {
  email: "http://axschema.org/contact/email",
  language: "http://axschema.org/pref/language",
  username: "http://axschema.org/namePerson/friendly",
};

/** Options of OpenIdMixin.authenticateRedirect. Tornado: authenticate_redirect's keywords. */
export interface OpenIdRedirectOptions {
  /** Where the provider sends the user back, joined to this URL; default this request's URI. */
  callbackUri?: string;
  /** Attributes to request, default ["name", "email", "language", "username"]. */
  axAttrs?: string[];
}

/** What OpenIdMixin adds to a handler class. */
export declare abstract class OpenIdMembers {
  constructor(...args: MixinArguments);
  /** The provider's endpoint. Tornado: _OPENID_ENDPOINT. */
  abstract OPENID_ENDPOINT: string;
  /**
   * Redirects to the provider with a checkid_setup request for the attributes. Tornado:
   * OpenIdMixin.authenticate_redirect.
   */
  authenticateRedirect(options?: OpenIdRedirectOptions): Promise<void>;
  /**
   * On the callback: has the provider confirm the assertion (check_authentication, a line
   * `is_valid:true`) and returns the user's present attributes: first_name, last_name, name,
   * email, locale, username, claimed_id. Tornado: OpenIdMixin.get_authenticated_user.
   */
  getAuthenticatedUser(options?: { httpClient?: AsyncHTTPClient }): Promise<AuthUser>;
  /** The checkid_setup arguments. Tornado: OpenIdMixin._openid_args. */
  openidArgs(callbackUri: string, axAttrs?: string[], oauthScope?: string): Record<string, string>;
  /** The client for the provider; override to use another. Tornado: get_auth_http_client. */
  getAuthHttpClient(): AsyncHTTPClient;
}

/**
 * Adds OpenID 2.0 sign-in to a RequestHandler class; subclasses set OPENID_ENDPOINT.
 * Tornado: auth.OpenIdMixin.
 */
export function OpenIdMixin<Base extends RequestHandlerBase>(base: Base): Base & typeof OpenIdMembers {
  abstract class OpenIdHandler extends base implements OpenIdMembers {
    abstract OPENID_ENDPOINT: string;

    authenticateRedirect(options: OpenIdRedirectOptions = {}): Promise<void> {
      const { callbackUri = this.request.uri, axAttrs = ["name", "email", "language", "username"] } = options;
      return this.redirect(`${this.OPENID_ENDPOINT}?${formEncode(this.openidArgs(callbackUri, axAttrs))}`);
    }

    async getAuthenticatedUser(options: { httpClient?: AsyncHTTPClient } = {}): Promise<AuthUser> {
      const args: Record<string, string> = {};
      for (const [name, values] of Object.entries(this.request.arguments)) args[name] = values[values.length - 1]!.toString("utf8");
      args["openid.mode"] = "check_authentication";
      const client = options.httpClient ?? this.getAuthHttpClient();
      const what = "the check_authentication request";
      const response = await fetchFromProvider(client, this.OPENID_ENDPOINT, { method: "POST", body: formEncode(args) }, "verify", what);
      const body = providerText(response, "verify", OpenIdVerificationError, what);
      // A whole line, as Tornado after 6.5 requires: a substring match lets "is_valid:true"
      // hide inside another field's value.
      if (!body.split("\n").includes("is_valid:true")) {
        throw new OpenIdVerificationError(`Invalid OpenID response: ${JSON.stringify(body.slice(0, 200))}`, { step: "verify" });
      }
      return this.#user();
    }

    #user(): AuthUser {
      let axNamespace: string | undefined;
      for (const name of Object.keys(this.request.arguments)) {
        if (name.startsWith("openid.ns.") && this.getArgument(name, null) === AX_NAMESPACE) {
          axNamespace = name.slice("openid.ns.".length);
          break;
        }
      }
      const axArgument = (uri: string): string => {
        if (axNamespace === undefined) return "";
        const prefix = `openid.${axNamespace}.type.`;
        for (const name of Object.keys(this.request.arguments)) {
          if (name.startsWith(prefix) && this.getArgument(name, null) === uri) {
            return this.getArgument(`openid.${axNamespace}.value.${name.slice(prefix.length)}`, "");
          }
        }
        return "";
      };
      const email = axArgument("http://axschema.org/contact/email");
      const name = axArgument("http://axschema.org/namePerson");
      const firstName = axArgument("http://axschema.org/namePerson/first");
      const lastName = axArgument("http://axschema.org/namePerson/last");
      const username = axArgument("http://axschema.org/namePerson/friendly");
      const locale = axArgument("http://axschema.org/pref/language").toLowerCase();
      const user: AuthUser = {};
      const nameParts: string[] = [];
      if (firstName) {
        user.first_name = firstName;
        nameParts.push(firstName);
      }
      if (lastName) {
        user.last_name = lastName;
        nameParts.push(lastName);
      }
      if (name) user.name = name;
      else if (nameParts.length > 0) user.name = nameParts.join(" ");
      else if (email) user.name = email.split("@")[0];
      if (email) user.email = email;
      if (locale) user.locale = locale;
      if (username) user.username = username;
      const claimedId = this.getArgument("openid.claimed_id", null);
      if (claimedId) user.claimed_id = claimedId;
      return user;
    }

    openidArgs(callbackUri: string, axAttrs: string[] = [], oauthScope?: string): Record<string, string> {
      const url = new URL(callbackUri, this.request.fullUrl()).href;
      const args: Record<string, string> = {
        "openid.ns": "http://specs.openid.net/auth/2.0",
        "openid.claimed_id": "http://specs.openid.net/auth/2.0/identifier_select",
        "openid.identity": "http://specs.openid.net/auth/2.0/identifier_select",
        "openid.return_to": url,
        "openid.realm": new URL("/", url).href,
        "openid.mode": "checkid_setup",
      };
      if (axAttrs.length > 0) {
        args["openid.ns.ax"] = AX_NAMESPACE;
        args["openid.ax.mode"] = "fetch_request";
        const attributes = new Set(axAttrs);
        const required: string[] = [];
        if (attributes.has("name")) {
          for (const attribute of ["name", "firstname", "fullname", "lastname"]) attributes.delete(attribute);
          required.push("firstname", "fullname", "lastname");
          args["openid.ax.type.firstname"] = "http://axschema.org/namePerson/first";
          args["openid.ax.type.fullname"] = "http://axschema.org/namePerson";
          args["openid.ax.type.lastname"] = "http://axschema.org/namePerson/last";
        }
        for (const attribute of attributes) {
          const uri = KNOWN_ATTRIBUTES[attribute];
          if (uri === undefined) throw new AuthConfigError(`unknown OpenID attribute ${JSON.stringify(attribute)}`, { step: "authorize" });
          args[`openid.ax.type.${attribute}`] = uri;
          required.push(attribute);
        }
        args["openid.ax.required"] = required.join(",");
      }
      if (oauthScope) {
        args["openid.ns.oauth"] = "http://specs.openid.net/extensions/oauth/1.0";
        args["openid.oauth.consumer"] = this.request.host.split(":")[0]!;
        args["openid.oauth.scope"] = oauthScope;
      }
      return args;
    }

    getAuthHttpClient(): AsyncHTTPClient {
      return defaultAuthHttpClient();
    }
  }
  return OpenIdHandler;
}
