// The local OpenID Connect provider the demo starts when none is configured: oidc-provider
// (ESM-only, so a child process of the CommonJS app, which also keeps Jest from loading it),
// on 127.0.0.1, with one demo user and one client registered for the app's callback.
//
// src/local-provider.ts starts it with the configuration as JSON in LOCAL_PROVIDER_CONFIG
// (not argv, so the client secret stays out of `ps`):
//   { port, clientId, clientSecret, redirectUris, postLogoutRedirectUris, user: { login, password, claims } }
// It prints one JSON line, {"issuer": "http://127.0.0.1:N"}, once it listens, and exits when
// its stdin closes: the app holds the other end, so the provider goes when the app goes,
// however the app ends (a SIGKILL included).
//
// Its own pages replace oidc-provider's development ones: a sign-in form that checks the demo
// user's password, consent given silently (the demo client is first-party), and logout and
// error pages that load nothing from the network.
import { generateKeyPairSync, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import Provider, { errors } from "oidc-provider";

const config = JSON.parse(process.env.LOCAL_PROVIDER_CONFIG ?? "{}");
const { user } = config;

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;background:#eef1f5;color:#1d2430;margin:0}
main{max-width:24rem;margin:4rem auto;background:#fff;border-radius:8px;padding:1.5rem 2rem;box-shadow:0 2px 8px rgba(0,0,0,.12)}
h1{font-size:1.3rem;margin:0 0 .25rem}p.sub{color:#5b6573;margin:0 0 1rem;font-size:.9rem}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #b8c0cc;border-radius:4px;font:inherit}
button{margin-top:1rem;padding:.5rem 1rem;border:0;border-radius:4px;background:#2a5bd7;color:#fff;font:inherit;cursor:pointer}
button.secondary{background:#e3e7ee;color:#1d2430}a{color:#2a5bd7}.error{color:#b3261e;font-weight:600}.hint{background:#fff8db;padding:.5rem;border-radius:4px;font-size:.9rem}`;

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Local OpenID Provider</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

function sendPage(res, status, title, body) {
  const html = page(title, body);
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(html) });
  res.end(html);
}

function loginPage(uid, { login = "", error = null } = {}) {
  return `<h1>Sign in</h1><p class="sub">Local OpenID Provider for the Tornado auth demo</p>
${error ? `<p class="error">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label for="login">User name</label><input id="login" type="text" name="login" value="${escapeHtml(login)}" required autofocus>
<label for="password">Password</label><input id="password" type="password" name="password" required>
<button type="submit">Sign in</button>
</form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort"><button type="submit" class="secondary">Cancel</button></form>
<p class="hint">Demo user: <strong>${escapeHtml(user.login)}</strong>, password <strong>${escapeHtml(user.password)}</strong></p>`;
}

function sameSecret(a, b) {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

const MAX_FORM_BYTES = 8192;

/** The urlencoded form of a POST, or null when it is larger than MAX_FORM_BYTES. */
async function readForm(req) {
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return null;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: "jwk" }), kid: randomBytes(8).toString("hex"), alg: "RS256", use: "sig" };

const server = createServer();
await new Promise((resolve) => server.listen(config.port ?? 0, "127.0.0.1", resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: config.clientId,
      client_secret: config.clientSecret,
      client_name: "Tornado auth demo",
      redirect_uris: config.redirectUris,
      post_logout_redirect_uris: config.postLogoutRedirectUris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  jwks: { keys: [signingKey] },
  pkce: { required: () => true },
  cookies: { keys: [randomBytes(32).toString("base64url")] },
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "given_name", "family_name", "preferred_username", "locale"],
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource(ctx, form) {
        ctx.type = "html";
        ctx.body = page(
          "Sign out",
          `<h1>Sign out?</h1><p class="sub">You are signed in at ${escapeHtml(issuer)}.</p>${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button type="submit" form="op.logoutForm" class="secondary">No, stay signed in</button>`,
        );
      },
      postLogoutSuccessSource(ctx) {
        ctx.type = "html";
        ctx.body = page("Signed out", "<h1>Signed out</h1><p>You are signed out of the local provider.</p>");
      },
    },
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  renderError(ctx, out) {
    ctx.type = "html";
    ctx.body = page("Error", `<h1>Something went wrong</h1>${Object.entries(out).map(([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: ${escapeHtml(value)}</p>`).join("")}`);
  },
  findAccount: async (_ctx, sub) => (sub === user.login ? { accountId: sub, claims: async () => ({ sub, ...user.claims }) } : undefined),
});

const oidc = provider.callback();
const INTERACTION = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|abort))?$/;

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new errors.SessionNotFound("interaction session id mismatch");
  if (action === undefined && req.method === "GET") {
    if (details.prompt.name === "login") return sendPage(res, 200, "Sign in", loginPage(uid));
    // Consent: the demo client is first-party, so the scopes and claims it asks for are granted.
    const { missingOIDCScope, missingOIDCClaims } = details.prompt.details;
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(" "));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  }
  if (req.method !== "POST") {
    res.writeHead(405, { Allow: "POST" }).end();
    return undefined;
  }
  const form = await readForm(req);
  if (form === null) return sendPage(res, 413, "Sign in", loginPage(uid, { error: "The form is too large." }));
  if (action === "abort") {
    return provider.interactionFinished(req, res, { error: "access_denied", error_description: "The user cancelled the sign-in" }, { mergeWithLastSubmission: false });
  }
  const login = form.get("login") ?? "";
  const password = form.get("password") ?? "";
  if (!sameSecret(login, user.login) || !sameSecret(password, user.password)) {
    return sendPage(res, 401, "Sign in", loginPage(uid, { login, error: "Wrong user name or password." }));
  }
  return provider.interactionFinished(req, res, { login: { accountId: user.login } }, { mergeWithLastSubmission: false });
}

server.on("request", (req, res) => {
  const path = new URL(req.url ?? "/", issuer).pathname;
  const match = INTERACTION.exec(path);
  if (match === null) return oidc(req, res);
  interaction(req, res, match[1], match[2]).catch((error) => {
    // An expired or foreign interaction (its cookie gone): the page says so, as oidc-provider's would.
    if (!res.headersSent) sendPage(res, error.statusCode ?? 500, "Error", `<h1>Sign-in failed</h1><p>${escapeHtml(error.error_description ?? error.message)}</p>`);
    else res.destroy();
  });
  return undefined;
});

process.stdin.on("data", () => {});
process.stdin.on("end", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
