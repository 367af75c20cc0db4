import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { BACKENDS } from "./helpers/databases";

// The blog as `pnpm start` runs it: dist/main.js (built by turbo before the tests), on each database.
const MAIN = join(__dirname, "..", "dist", "main.js");

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env.PATH, COOKIE_SECRET: "a secret for the start-up test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Tornado Blog on (http:\/\/\S+)\//.exec(output);
      if (match) resolve({ child, url: match[1], output: () => output });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    // "close", not "exit": the output is all read by then.
    child.once("close", (code) => reject(new Error(`the blog exited with ${code} before listening:\n${output}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

describe.each(BACKENDS)("node dist/main.js on $name", (backend) => {
  const run = backend.missing === null ? it : it.skip;
  const reason = backend.missing === null ? "" : ` (skipped: ${backend.missing})`;

  run(`creates its tables on first start, serves on --port, and exits 0 on SIGTERM${reason}`, async () => {
    const { location, dispose } = await backend.reserve();
    try {
      const args = "dataDir" in location ? [`--data_dir=${location.dataDir}`] : [];
      const env = "url" in location ? { DATABASE_URL: location.url } : {};
      const { child, url, output } = await start(["--port=0", ...args], env);
      try {
        expect(output()).toContain("dataDir" in location ? `(PGlite at ${location.dataDir})` : "(PostgreSQL at 127.0.0.1:");
        const login = await fetch(`${url}/auth/login`, { redirect: "manual" });
        expect(login.status).toBe(302);
        expect(login.headers.get("location")).toBe("/auth/create?next=%2F");
        expect((await fetch(`${url}/auth/create`)).status).toBe(200);
      } finally {
        expect(await stop(child)).toBe(0);
      }
    } finally {
      await dispose();
    }
  });
});

describe("command line", () => {
  it("takes the port from PORT when --port is not given", async () => {
    const { location, dispose } = await BACKENDS[0].reserve();
    try {
      const { child, url } = await start([`--data_dir=${(location as { dataDir: string }).dataDir}`], { PORT: "0" });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+$/);
      expect(url).not.toBe("http://127.0.0.1:8888");
      expect(await stop(child)).toBe(0);
    } finally {
      await dispose();
    }
  });

  it("says why and exits 1 when the database cannot be opened", async () => {
    const failed = await start(["--port=0", "--data_dir=/proc/no-such-dir/data"]).catch((error: Error) => error);
    expect(failed instanceof Error ? failed.message : failed).toMatch(/exited with 1 before listening[\s\S]*the blog could not start/);
  });

  // Tornado's parse_command_line: --help prints the options and exits 0; a bad option is an
  // OptionsError (after the help, for an unknown one) and the process exits 1.
  it.each([
    [["--help"], /exited with 0 before listening[\s\S]*--database-url=URL +the PostgreSQL server/, true],
    [["--port=http"], /exited with 1 before listening[\s\S]*the blog could not start\n +OptionsError: Option "port": invalid integer: "http"/, false],
    [["--prot=80"], /exited with 1 before listening[\s\S]*OptionsError: Unrecognized command line option: "prot"/, true],
  ])("%j: says why and exits", async (args, expected, help) => {
    const failed = await start(args).catch((error: Error) => error);
    if (!(failed instanceof Error)) throw new Error(`the blog started with ${JSON.stringify(args)}`);
    const message = failed.message;
    expect(message).toMatch(expected);
    expect(/^Usage: \S+main\.js \[OPTIONS\]$[\s\S]*--port +run on the given port/m.test(message)).toBe(help);
  });
});
