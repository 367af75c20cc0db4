// The process policy that IOLoop.start() installs, seen from outside: each scenario runs in a
// child process (test/fixtures/process-policy.js), since what is under test is whether that
// process logs and goes on, or exits, and with which code.
import { spawn, type ChildProcess } from "node:child_process";
import { connect, createServer, type Server } from "node:net";
import { join } from "node:path";
import { setProcessPolicy } from "@tornado/ioloop";

const FIXTURES = join(__dirname, "..", "fixtures");

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(script: string, ...args: string[]): Run {
  const child = spawn(process.execPath, [join(FIXTURES, script), ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

/** Resolves once the child printed a line matching `pattern` on `stream`. */
function waitFor(running: Run, stream: "stdout" | "stderr", pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const match = pattern.exec(running[stream]());
      if (match) {
        running.child[stream]!.off("data", check);
        resolve(match);
      }
    };
    running.child[stream]!.on("data", check);
    void running.exit.then(() => reject(new Error(`exited before ${pattern}: ${running.stdout()} ${running.stderr()}`)));
    check();
  });
}

describe("uncaught errors after IOLoop.start()", () => {
  it("logs an exception thrown in a timer on tornado.application, with its stack, and goes on", async () => {
    const running = run("process-policy.js", "timer-throw");
    expect(await running.exit).toEqual({ code: 0, signal: null });
    expect(running.stderr()).toMatch(/^\[E \d{6} [\d:]{8} tornado\.application\] Uncaught exception outside a request handler/m);
    expect(running.stderr()).toMatch(/Error: thrown in a timer\n\s+at .*process-policy\.js:\d+/);
    expect(running.stdout()).toContain("still serving\nstart() resolved\n");
  });

  it("logs an unhandled rejection and goes on", async () => {
    const running = run("process-policy.js", "rejection");
    expect(await running.exit).toEqual({ code: 0, signal: null });
    expect(running.stderr()).toMatch(/tornado\.application\] Unhandled rejection outside a request handler/);
    expect(running.stderr()).toContain("Error: rejected and never awaited");
    expect(running.stdout()).toContain("still serving");
  });

  it("ends the process (code 1) for an error thrown while the program starts", async () => {
    const running = run("process-policy.js", "startup-throw");
    expect(await running.exit).toEqual({ code: 1, signal: null });
    expect(running.stderr()).toMatch(/^\[C .* tornado\.application\] Uncaught exception while starting; exiting\n {4}Error: thrown while starting/m);
  });

  it("ends the process (code 1) when a top-level await of an ES module fails", async () => {
    const running = run("process-policy-esm.mjs");
    expect(await running.exit).toEqual({ code: 1, signal: null });
    expect(running.stderr()).toMatch(/\[C .* tornado\.application\] Top-level await or module evaluation failed; exiting\n {4}Error: top-level await failed/);
  });

  it("ends the process (code 1) with AddressInUseError, naming the port, when the port is taken", async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const { port } = holder.address() as { port: number };
    try {
      const running = run("process-policy.js", "busy-port", String(port));
      expect(await running.exit).toEqual({ code: 1, signal: null });
      expect(running.stderr()).toContain(
        `AddressInUseError: port ${port} is already in use on 127.0.0.1: another process listens there; stop it or choose another port`,
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('leaves errors to Node with setProcessPolicy({ errors: "node" })', async () => {
    const running = run("process-policy.js", "errors-node");
    expect(await running.exit).toEqual({ code: 1, signal: null });
    expect(running.stderr()).toContain("Error: thrown in a timer");
    expect(running.stderr()).not.toContain("tornado.application");
  });

  it("stays out of the way of an uncaughtException listener the program installed first", async () => {
    const running = run("process-policy.js", "own-listener");
    expect(await running.exit).toEqual({ code: 0, signal: null });
    expect(running.stdout()).toContain("mine: thrown in a timer");
    expect(running.stderr()).not.toContain("tornado.application");
  });
});

describe("SIGINT and SIGTERM after IOLoop.start()", () => {
  it.each(["SIGINT", "SIGTERM"] as const)("%s closes the servers and their connections, and the process exits 0", async (signal) => {
    const running = run("process-policy.js", "graceful");
    const port = Number((await waitFor(running, "stdout", /port (\d+)/))[1]);
    const client = connect(port, "127.0.0.1");
    await new Promise((resolve) => client.once("connect", resolve));
    const clientClosed = new Promise((resolve) => client.once("close", resolve));
    client.on("error", () => {});
    running.child.kill(signal);
    expect(await running.exit).toEqual({ code: 0, signal: null });
    await clientClosed;
    expect(running.stderr()).toContain(`${signal}: stopping gracefully (send it again to exit at once)`);
    expect(running.stdout()).toContain("start() resolved");
  });

  it("a second SIGINT, pressed later, exits at once with 130", async () => {
    const running = run("process-policy.js", "stuck");
    await waitFor(running, "stdout", /port \d+/);
    running.child.kill("SIGINT");
    await waitFor(running, "stderr", /stopping gracefully/);
    // A repeat within 0.5 s is taken as npm's or a watcher's relay of the same Ctrl-C
    // (tested through the real tools in apps/hello and create-tornado): press again later.
    await new Promise((resolve) => setTimeout(resolve, 600));
    running.child.kill("SIGINT");
    expect(await running.exit).toEqual({ code: 130, signal: null });
    expect(running.stderr()).toContain("SIGINT again: exiting without waiting");
  });

  it("exits 1 when connections are still open after shutdownTimeout", async () => {
    const running = run("process-policy.js", "stuck", "0.2");
    await waitFor(running, "stdout", /port \d+/);
    running.child.kill("SIGTERM");
    expect(await running.exit).toEqual({ code: 1, signal: null });
    expect(running.stderr()).toContain("connections still open 0.2 s after SIGTERM: exiting");
  });
});

describe("setProcessPolicy", () => {
  it("returns the previous settings and checks its arguments", () => {
    const previous = setProcessPolicy({ shutdownTimeout: 3 });
    try {
      expect(previous).toEqual({ errors: "log", signals: "graceful", shutdownTimeout: 10 });
      expect(setProcessPolicy({})).toEqual({ errors: "log", signals: "graceful", shutdownTimeout: 3 });
      expect(() => setProcessPolicy({ errors: "ignore" as "log" })).toThrow('errors must be "log" or "node", got "ignore"');
      expect(() => setProcessPolicy({ signals: "exit" as "node" })).toThrow(TypeError);
      expect(() => setProcessPolicy({ shutdownTimeout: -1 })).toThrow(RangeError);
      expect(() => setProcessPolicy(null as never)).toThrow(TypeError);
    } finally {
      setProcessPolicy(previous);
    }
  });
});
