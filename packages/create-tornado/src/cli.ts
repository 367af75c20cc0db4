#!/usr/bin/env node
/**
 * The create-tornado command: `create-tornado <folder> [--update]`, behind the repository's
 * `npx -y pnpm@10 create-app <folder>`. A relative folder is relative to where the command
 * was typed (pnpm's INIT_CWD), not to the repository root where pnpm runs scripts.
 */

import * as path from "node:path";
import { createApp } from "./create-app";
import { parseArguments } from "./parse-arguments";
import { isTornadoError } from "@tornado/util";

function main(): void {
  const { directory, update } = parseArguments(process.argv.slice(2));
  const app = createApp({ directory, update, cwd: process.env.INIT_CWD ?? process.cwd() });
  const shown = path.relative(process.env.INIT_CWD ?? process.cwd(), app.directory) || ".";
  const count = `${app.tarballs.length} packages packed into ${path.join(shown, "tarballs")}`;
  if (update) {
    process.stdout.write(`Updated ${app.name}: ${count}.\nRun npm install in ${shown} to install them.\n`);
    return;
  }
  process.stdout.write(
    `Created ${app.name} in ${app.directory}: TypeScript, ES modules, @tornado/tornado from ${count}.\n\n` +
      `  cd ${shown}\n` +
      "  npm install\n" +
      "  npm start        # http://localhost:8888 (Ctrl-C stops it)\n" +
      "  npm run dev      # restarts when a file under src/ changes\n" +
      "  npm test         # type-checks, then runs test/*.test.ts with node --test\n",
  );
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`create-tornado: ${isTornadoError(error) ? error.message : String((error as Error)?.stack ?? error)}\n`);
    process.exit(1);
  }
}
