/**
 * `pnpm --filter @tornado-apps/file-upload start [-- --port=8888]`: Tornado's file_receiver.py.
 * Files PUT are stored in apps/file-upload/uploads (or --upload_dir).
 */

import { mkdir } from "node:fs/promises";
import { appLog, onShutdown, parseCommandLine } from "@tornado/tornado";
import { makeApp } from "./app";
import { options } from "./options";

async function main(): Promise<void> {
  parseCommandLine(); // --help, or an OptionsError naming a bad option; then INFO logging on
  await mkdir(options.uploadDir, { recursive: true });
  const app = makeApp({ uploadDir: options.uploadDir, maxFileSize: options.maxFileSize });
  const server = await app.listen(options.port, options.address, { maxBodySize: options.maxPostSize });
  // SIGINT, SIGTERM: stop accepting, close the connections, exit 0 (1 if that failed).
  onShutdown(async () => {
    server.stop();
    await server.closeAllConnections();
  });
  appLog.info(`file upload on http://${options.address}:${server.boundPorts()[0]}/ (PUT stores in ${options.uploadDir})`);
}

main().catch((error: unknown) => {
  appLog.error("the file receiver could not start", error);
  process.exit(1);
});
