/**
 * `pnpm --filter @tornado-apps/blog start [-- --port=8888]`: Tornado's blog demo. PGlite in
 * apps/blog/data by default; PostgreSQL when DATABASE_URL (or --database_url) is set.
 */

import { appLog, onShutdown, parseCommandLine } from "@tornado/tornado";
import { BlogApplication } from "./app";
import { openDatabase } from "./database";
import { MAX_BODY_SIZE } from "./form";
import { options } from "./options";

async function main(): Promise<void> {
  parseCommandLine(); // --help, or an OptionsError naming a bad option; then INFO logging on
  const db = await openDatabase(options.databaseUrl ? { url: options.databaseUrl } : { dataDir: options.dataDir });
  if (options.cookieSecret === undefined) {
    appLog.warning("no --cookie_secret or COOKIE_SECRET: using a random one, so logins end when the process does");
  }
  const app = new BlogApplication(db, { cookieSecret: options.cookieSecret, debug: options.debug });
  const server = await app.listen(options.port, options.address, { maxBodySize: MAX_BODY_SIZE });
  // SIGINT, SIGTERM: stop accepting, close the connections, exit 0 (1 if that failed).
  onShutdown(async () => {
    server.stop();
    await server.closeAllConnections();
    await db.close();
  });
  appLog.info(`Tornado Blog on http://${options.address}:${server.boundPorts()[0]}/ (${db.description})`);
}

main().catch((error: unknown) => {
  appLog.error("the blog could not start", error);
  process.exit(1);
});
