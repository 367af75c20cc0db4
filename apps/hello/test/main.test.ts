import { spawn, type ChildProcess } from "node:child_process";
import { utimesSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

// apps/hello is the seed example on port 8888, run from its build as `pnpm start` runs it,
// with --port and --debug through Tornado's options.
const PORT = 8888;
const APP_DIR = join(__dirname, "..");
const REPO_ROOT = join(APP_DIR, "..", "..");
const MAIN = join(APP_DIR, "dist", "main.js");

async function portIsFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once("error", () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

/** Waits up to 10 s for port 8888 (another test on this machine may hold it briefly). */
async function waitForFreePort(): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await portIsFree(PORT)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`port ${PORT} is in use: stop whatever listens there (the sample app itself?) and rerun`);
}

async function fetchHello(child: ChildProcess, attempts: number): Promise<string | undefined> {
  let body: string | undefined;
  for (let attempt = 0; attempt < attempts && body === undefined && child.exitCode === null; attempt++) {
    body = await fetch(`http://localhost:${PORT}/`).then(
      (response) => response.text(),
      () => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100)),
    );
  }
  return body;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Fetches `url` until something answers (the app is starting). */
async function fetchWhenUp(url: string): Promise<string | undefined> {
  let body: string | undefined;
  for (let attempt = 0; attempt < 100 && body === undefined; attempt++) {
    body = await fetch(url).then(
      (response) => response.text(),
      () => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100)),
    );
  }
  return body;
}

/** Waits (polling, bounded) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-(child.pid as number), "SIGTERM"); // the app and, after a restart, its child
  await exited;
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once("close", (code, signal) => resolve({ code, signal })));
}

describe("apps/hello", () => {
  it("answers Hello, Tornado! on http://localhost:8888/ and exits 0 on SIGINT, with source maps on", async () => {
    await waitForFreePort();
    const child = spawn(process.execPath, ["--enable-source-maps", MAIN], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    const exited = exitOf(child);
    try {
      expect(await fetchHello(child, 100)).toBe("Hello, Tornado!");
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(stderr).toContain("SIGINT: stopping gracefully");
  });

  it("starts with source maps on (stack traces point at src/*.ts)", () => {
    const manifest = require(join(APP_DIR, "package.json")) as { scripts: Record<string, string> };
    expect(manifest.scripts.start).toMatch(/^exec node --enable-source-maps /);
  });

  // The README's command, stopped as a terminal's Ctrl-C does: SIGINT to the whole process
  // group (npx, pnpm, the shells, node). pnpm must not report a failed run.
  it("stops cleanly on Ctrl-C under `npx -y pnpm@10 start` (SIGINT to the process group)", async () => {
    await waitForFreePort();
    const child = spawn("npx", ["-y", "pnpm@10", "start"], { cwd: REPO_ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    const exited = exitOf(child);
    try {
      // Up to 120 s: the first start builds every package.
      expect(await fetchHello(child, 1200)).toBe("Hello, Tornado!");
    } finally {
      process.kill(-child.pid!, "SIGINT");
    }
    await exited;
    expect(output).toContain("SIGINT: stopping gracefully");
    expect(output).not.toMatch(/ERR_PNPM|ELIFECYCLE|Command failed/);
    expect(await portIsFree(PORT)).toBe(true);
  }, 150_000);

  it("takes --port, logs requests (parseCommandLine turns INFO on), restarts on change with --debug", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ["--enable-source-maps", MAIN, `--port=${port}`, "--debug"], { stdio: ["ignore", "ignore", "pipe"], detached: true });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      expect(await fetchWhenUp(`http://127.0.0.1:${port}/`)).toBe("Hello, Tornado!");
      await until(() => /200 GET/.test(stderr));
      expect(stderr).toMatch(/\[I \d{6} [\d:]{8} \w+:\d+\] 200 GET \/ \(127\.0\.0\.1\) [\d.]+ms/);
      // A newer mtime on the program: it restarts, after closing its server.
      for (let i = 1; !stderr.includes("modified; restarting server") && i < 100; i++) {
        const later = new Date(Date.now() + i * 1000);
        utimesSync(MAIN, later, later);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(stderr).toContain(`${MAIN} modified; restarting server`);
      const before = stderr.length;
      expect(await fetchWhenUp(`http://127.0.0.1:${port}/`)).toBe("Hello, Tornado!");
      // The answer came from the restarted program, which logged it.
      await until(() => /200 GET/.test(stderr.slice(before)));
      expect(stderr.slice(before)).toMatch(/200 GET \//);
    } finally {
      await stop(child);
    }
  });
});
