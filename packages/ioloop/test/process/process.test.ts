// Ported from tornado/test/process_test.py (ProcessTest.test_multi_process) for node:cluster:
// real worker processes forked by a fixture script run with node.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ForkProcessesError, cpuCount, forkProcesses, taskId } from "@tornado/ioloop";

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
