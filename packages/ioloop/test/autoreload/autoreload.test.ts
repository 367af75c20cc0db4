// Ported from tornado/test/autoreload_test.py: real processes, with and without the
// tornado-autoreload wrapper; and a restart on a change of an ES module the app imported.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const FIXTURES = join(__dirname, "..", "fixtures", "autoreload");
const REGISTER = join(__dirname, "..", "fixtures", "ts-register.js");
const CLI = join(__dirname, "..", "..", "src", "autoreload", "cli.ts");

let markers: string;
beforeAll(() => (markers = mkdtempSync(join(tmpdir(), "tornado-autoreload-"))));
afterAll(() => rmSync(markers, { recursive: true, force: true }));

/** Runs node with `args`; the app's "already started" marker is a fresh file path each time. */
function run(args: string[]): { status: number | null; stdout: string } {
  const marker = join(markers, String(Math.random()));
  expect(existsSync(marker)).toBe(false);
  const env: NodeJS.ProcessEnv = { ...process.env, TESTAPP_MARKER: marker };
  delete env.TORNADO_AUTORELOAD_SUPERVISED;
  const result = spawnSync(process.execPath, args, { cwd: FIXTURES, env, encoding: "utf8", timeout: 30_000 });
  return { status: result.status, stdout: result.stdout };
}

test("reload without the wrapper: the program runs again, same arguments", () => {
  const result = run([join(FIXTURES, "main.js"), "arg1", "--arg2"]);
  expect(result).toEqual({ status: 0, stdout: 'Starting main.js\nargv=["arg1","--arg2"]\n'.repeat(2) });
});

test("reload with the wrapper keeps the arguments (test_reload_wrapper_args)", () => {
  const result = run(["-r", REGISTER, CLI, "--until-success", "main.js", "arg1", "--arg2", "-m", "arg3"]);
  expect(result).toEqual({ status: 0, stdout: 'Starting main.js\nargv=["arg1","--arg2","-m","arg3"]\n'.repeat(2) });
});

test("wrapper --until-success stops after a clean exit", () => {
  expect(run(["-r", REGISTER, CLI, "--until-success", "until-success.js"])).toEqual({
    status: 0,
    stdout: "reloading\nexiting cleanly\n",
  });
});

test("the wrapper without a script says how to use it", () => {
  const result = spawnSync(process.execPath, ["-r", REGISTER, CLI], { encoding: "utf8" });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain("Usage: tornado-autoreload");
});

describe.each([
  ["plain node", [] as string[]],
  ["the wrapper", ["-r", REGISTER, CLI]],
])("a change to an imported ES module restarts the app (%s)", (_label, prefix) => {
  test("after the reload hook finished", async () => {
    const app = spawn(process.execPath, [...prefix, join(FIXTURES, "watching.mjs")], {
      cwd: FIXTURES,
      detached: true, // its own process group: the test ends supervisor and app together
      env: { ...process.env, TESTAPP_MARKER: join(markers, String(Math.random())) },
    });
    let output = "";
    const waiting = new Map<string, () => void>();
    app.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      for (const [text, resolve] of waiting) if (output.includes(text)) resolve();
    });
    const exited = new Promise((resolve) => app.once("exit", resolve));
    const seen = (text: string) => new Promise<void>((resolve) => (output.includes(text) ? resolve() : waiting.set(text, resolve)));
    try {
      await seen("started 1 dependency\n");
      // Touch the dependency (a newer mtime each time, no wait for the clock) until the app
      // restarts: its first check may not have recorded the old time yet.
      let restarted = false;
      const restart = seen("started 2 dependency\n").then(() => (restarted = true));
      for (let i = 1; !restarted && i < 200; i++) {
        const later = new Date(Date.now() + i * 1000);
        utimesSync(join(FIXTURES, "dependency.mjs"), later, later);
        await Promise.race([restart, new Promise((resolve) => setTimeout(resolve, 100))]);
      }
      await restart;
      expect(output).toBe("started 1 dependency\nhook finished 1\nstarted 2 dependency\n");
    } finally {
      process.kill(-(app.pid as number), "SIGTERM");
      await exited;
    }
  });
});
