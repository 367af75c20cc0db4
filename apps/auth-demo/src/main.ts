/**
 * `pnpm --filter @tornado-apps/auth-demo start [-- --port=8888]`: "Log in with OpenID
 * Connect". With no OIDC_ISSUER it starts a local provider beside itself and prints the URL
 * and the demo user's credentials; SIGINT or SIGTERM stop both.
 */

import { appLog, parseCommandLine } from "@tornado/tornado";
import { DEMO_USER } from "./local-provider";
import { demoOptions } from "./options";
import { startAuthDemo, type AuthDemo } from "./server";

async function main(): Promise<void> {
  parseCommandLine(); // --help, or an OptionsError naming a bad option; then INFO logging on
  const options = demoOptions();
  // Our own handlers, before the server starts: the graceful stop must also stop the provider.
  // eslint-disable-next-line prefer-const -- the signal handlers below read it, possibly before it is set
  let demo: AuthDemo | undefined;
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    void (demo?.stop() ?? Promise.resolve()).then(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  if (options.cookieSecret === undefined) {
    appLog.warning("no --cookie_secret or COOKIE_SECRET: using a random one, so logins end when the process does");
  }
  demo = await startAuthDemo(options);
  if (stopping) {
    await demo.stop();
    process.exit(0);
  }
  const lines = [`Tornado auth demo on ${demo.url}/`];
  if (demo.localProvider) {
    lines.push(`  local OpenID provider: ${demo.issuer} (no OIDC_ISSUER set)`);
    lines.push(`  demo user: ${DEMO_USER.login}, password: ${DEMO_USER.password}`);
  } else lines.push(`  OpenID provider: ${demo.issuer}`);
  if (options.github) lines.push("  GitHub login: on");
  if (options.google) lines.push("  Google login: on");
  appLog.info(lines.join("\n"));
}

main().catch((error: unknown) => {
  appLog.error("the auth demo could not start", error);
  process.exit(1);
});
