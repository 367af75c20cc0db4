// Ported from tornado/test/process_test.py (ProcessTest.test_multi_process) for node:cluster:
// real worker processes forked by a fixture script run with node.
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ForkProcessesError, cpuCount, forkProcesses, onShutdown, restartWorkers, stopWorkers, taskId } from "@tornado/ioloop";
import { ArgumentRangeError, ArgumentTypeError } from "@tornado/util";

const script = join(__dirname, "..", "fixtures", "fork-processes.js");

function runFixture(...args: string[]): Promise<{ code: number | null; stdout: string[]; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number }).code ?? null) : 0;
      resolve({ code, stdout: stdout.split("\n").filter(Boolean).sort(), stderr });
    });
  });
}

describe("forkProcesses with real worker processes", () => {
  let tempDir: string;
  beforeAll(() => {
    tempDir = mkdtempSync(join(tmpdir(), "tornado-fork-"));
  });
  afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

  test("two workers get task ids 0 and 1; restarts and giving up follow Tornado's rules", async () => {
    const [basic, crashOnce, crashAlways] = await Promise.all([
      runFixture("basic"),
      runFixture("crash-once", join(tempDir, "crashed")),
      runFixture("crash-always"),
    ]);

    // Each worker resolves with its id (also taskId()); the primary never continues, and
    // exits 0 once every worker has exited normally.
    expect(basic).toMatchObject({ code: 0, stdout: ["primary taskId=null", "task 0 taskId=0", "task 1 taskId=1"] });
    expect(basic.stderr).toContain("Starting 2 processes");
    expect(basic.stderr).toMatch(/child 0 \(pid \d+\) exited normally/);

    // A worker that exits abnormally is restarted with the same task id.
    expect(crashOnce).toMatchObject({ code: 0, stdout: ["primary taskId=null", "task 0 taskId=0", "task 1 taskId=1"] });
    expect(crashOnce.stderr).toMatch(/child 1 \(pid \d+\) exited with status 3, restarting/);

    // Past maxRestarts (2) the primary's promise rejects.
    expect(crashAlways.code).toBe(1);
    expect(crashAlways.stdout).toContain(
      "error ForkProcessesError TORNADO_ERR_PROCESS_FORK Too many child restarts, giving up",
    );
    expect(crashAlways.stderr.match(/exited with status 4, restarting/g)!.length).toBeGreaterThanOrEqual(3);
  }, 60_000);
});

describe("process helpers in a process that did not fork", () => {
  test("taskId() is null outside a worker; cpuCount() is positive", () => {
    expect(taskId()).toBeNull();
    expect(cpuCount()).toBeGreaterThan(0);
  });

  test("arguments are validated", () => {
    expect(() => forkProcesses(1.5)).toThrow(TypeError);
    expect(() => forkProcesses(2, -1)).toThrow(new RangeError("maxRestarts must be an integer >= 0, got -1"));
  });

  test("ForkProcessesError carries its code", () => {
    const error = new ForkProcessesError("x");
    expect(error.code).toBe("TORNADO_ERR_PROCESS_FORK");
    expect(error).toBeInstanceOf(Error);
  });
});

/** A fixture run with node, whose stdout lines can be awaited. */
class Fixture {
  readonly lines: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly child: ReturnType<typeof spawn>;
  #waiters: Array<() => void> = [];

  constructor(name: string, ...args: string[]) {
    this.child = spawn(process.execPath, [join(__dirname, "..", "fixtures", name), ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let buffered = "";
    this.child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split("\n");
      buffered = parts.pop()!;
      this.lines.push(...parts);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.child.stderr!.on("data", (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once("exit", (code, signal) => resolve({ code, signal })));
  }

  /** Resolves once `count` lines match `pattern` (in all, since the start). */
  async waitLines(pattern: RegExp, count = 1): Promise<string[]> {
    for (;;) {
      const matching = this.lines.filter((line) => pattern.test(line));
      if (matching.length >= count) return matching;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }
}

function freePort(): Promise<number> {
  const server = net.createServer();
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    }),
  );
}

/** Connects and reads the "<task id> <pid>" answer; rejects if none comes within 5 s. */
function ask(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let answer = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("connection accepted but never answered"));
    }, 5000);
    socket.on("data", (chunk) => (answer += chunk.toString()));
    socket.on("end", () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

describe("restartWorkers and stopWorkers with real worker processes", () => {
  test.each(["on-shutdown", "policy"])("a rolling restart replaces each worker after its replacement listens; stopWorkers stops all (%s)", async (mode) => {
    const port = await freePort();
    const fixture = new Fixture("rolling-restart.js", String(port), mode);
    try {
      const first = await fixture.waitLines(/^listening /, 2);
      const oldPids = first.map((line) => line.split(" ")[2]);
      const answers = await Promise.all(Array.from({ length: 8 }, () => ask(port)));
      expect(new Set(answers.map((answer) => answer.split(" ")[1])).size).toBeGreaterThan(0);

      // Connections keep being answered while the workers are replaced: each old worker is
      // asked to stop only once its replacement listens.
      let restarting = true;
      const during: Array<string | Error> = [];
      const load = (async () => {
        while (restarting) during.push(await ask(port).catch((error: Error) => error));
      })();
      fixture.child.kill("SIGHUP");
      await fixture.waitLines(/^restarted$/);
      restarting = false;
      await load;
      expect(during.filter((answer) => answer instanceof Error)).toEqual([]);
      expect(during.length).toBeGreaterThan(0);
      const listening = await fixture.waitLines(/^listening /, 4);
      const newPids = listening.slice(2).map((line) => line.split(" ")[2]);
      expect(listening.slice(2).map((line) => line.split(" ")[1]).sort()).toEqual(["0", "1"]);
      expect((await fixture.waitLines(/^shutdown /, 2)).map((line) => line.split(" ")[2]).sort()).toEqual([...oldPids].sort());
      for (const answer of await Promise.all(Array.from({ length: 8 }, () => ask(port)))) {
        expect(newPids).toContain(answer.split(" ")[1]);
      }
      // Replaced workers exited 0 and were not restarted.
      expect(fixture.stderr.join("")).not.toMatch(/restarting/);

      fixture.child.kill("SIGTERM");
      await fixture.waitLines(/^stopped$/);
      await fixture.waitLines(/^shutdown /, 4);
      expect(await fixture.exited).toEqual({ code: 0, signal: null });
      expect(fixture.stderr.join("")).not.toMatch(/restarting/);
    } finally {
      fixture.child.kill("SIGKILL");
      await fixture.exited;
    }
  }, 60_000);

  test("restartWorkers and stopWorkers refuse to run where forkProcesses started no workers", async () => {
    await expect(restartWorkers()).rejects.toThrow(new ForkProcessesError("restartWorkers() runs in the primary, after forkProcesses()"));
    await expect(stopWorkers()).rejects.toBeInstanceOf(ForkProcessesError);
    expect(() => restartWorkers(0)).toThrow(ArgumentRangeError);
  });
});

describe("onShutdown", () => {
  test.each([
    ["ok", "SIGTERM", { code: 0, signal: null }, /handler ran/],
    ["ok", "SIGINT", { code: 0, signal: null }, /handler ran/],
    ["throw", "SIGTERM", { code: 1, signal: null }, /Exception in a shutdown handler/],
    ["slow", "SIGTERM", { code: 1, signal: null }, /shutdown took longer than 0.2 s, exiting/],
    ["two", "SIGUSR2", { code: 0, signal: null }, /second ran/],
    ["two", "SIGTERM", { code: null, signal: "SIGTERM" }, /^$/],
  ] as const)("mode %s, %s: exits %o", async (mode, signal, exit, output) => {
    const fixture = new Fixture("shutdown.js", mode);
    await fixture.waitLines(/^ready$/);
    fixture.child.kill(signal);
    expect(await fixture.exited).toEqual(exit);
    const printed = [...fixture.lines.filter((line) => line !== "ready"), ...fixture.stderr].join("");
    expect(printed).toMatch(output);
    expect(printed).not.toMatch(/unregistered ran/);
  }, 20_000);

  test("checks its arguments", () => {
    expect(() => onShutdown("x" as unknown as () => void)).toThrow(ArgumentTypeError);
    expect(() => onShutdown(() => undefined, { timeout: -1 })).toThrow(ArgumentRangeError);
    expect(() => onShutdown(() => undefined, { signals: [] })).toThrow(TypeError);
  });
});
