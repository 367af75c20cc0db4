// The reliability suite from the command line, against one or more servers side by side:
//   node reliability/run.js [slow flood hostile shutdown soak] [--servers=tornado,node,fastify] [--long]
// Default: every case, every server, CI sizes. --long (what `npx -y pnpm@10 bench` runs): slow
// clients at a byte a second against the default timeouts (60 s head, 300 s body, node's
// 60 s / 300 s), three floods of 10,000, a 60 s soak. Needs built packages (`npx -y pnpm@10 build`).
// Prints one [reliability] line of figures per case and server.
"use strict";
const { flood } = require("./lib/flood");
const { startServer } = require("./lib/harness");
const { hostileInput } = require("./lib/hostile");
const { gracefulShutdown } = require("./lib/shutdown");
const { slowClients } = require("./lib/slow-clients");
const { soak } = require("./lib/soak");

const args = process.argv.slice(2);
const long = args.includes("--long");
const servers = (args.find((arg) => arg.startsWith("--servers="))?.slice(10) ?? "tornado,node,fastify").split(",");
const chosen = args.filter((arg) => !arg.startsWith("--"));

const CASES = {
  slow: (kind) =>
    long
      ? slowClients(kind, { connections: 1000, headersTimeout: 60, bodyTimeout: 300, byteEveryMs: 1000 })
      : slowClients(kind, { connections: 1000, headersTimeout: 2, bodyTimeout: 2, byteEveryMs: 200 }),
  flood: (kind) => flood(kind, { total: 10000, batch: 500, rounds: 3 }),
  hostile: async (kind) => {
    const server = await startServer(kind);
    try {
      await hostileInput(server);
    } finally {
      await server.stop();
    }
  },
  shutdown: (kind) => gracefulShutdown(kind, { inFlight: 200 }),
  soak: (kind) => soak(kind, { seconds: long ? 60 : 15, connections: 16 }),
};

async function main() {
  for (const name of Object.keys(CASES)) {
    if (chosen.length > 0 && !chosen.includes(name)) continue;
    for (const kind of servers) {
      try {
        await CASES[name](kind);
      } catch (error) {
        process.stdout.write(`[reliability] ${name} ${kind}: failed: ${error.message}\n`);
        process.exitCode = 1;
      }
    }
  }
}
main();
