// Ported from tornado/test/process_test.py (SubprocessTest), with node as the child.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { constants } from "node:os";
import { CalledProcessError, PipeIOStream, Subprocess } from "@tornado/ioloop";

const INTERACTIVE = join(__dirname, "..", "fixtures", "interactive.js");
const node = process.execPath;

async function termAndWait(proc: Subprocess): Promise<void> {
  if (proc.returncode === null) {
    const exited = proc.waitForExit({ raiseError: false });
    proc.proc.kill("SIGTERM");
    await exited;
  }
}

test("subprocess: stdin and stdout as streams, stderr into stdout", async () => {
  const proc = new Subprocess([node, INTERACTIVE], { stdin: Subprocess.STREAM, stdout: Subprocess.STREAM, stderr: Subprocess.STDOUT });
  try {
    expect(proc.stdin).toBeInstanceOf(PipeIOStream);
    expect((await proc.stdout.readUntil(">>> ")).toString()).toBe(">>> ");
    await proc.stdin.write("print hello\n");
    expect((await proc.stdout.readUntil("\n")).toString()).toBe("hello\n");
    await proc.stdout.readUntil(">>> ");
    await proc.stdin.write("exit 0\n");
    expect((await proc.stdout.readUntilClose()).toString()).toBe("");
  } finally {
    proc.stdin.close();
    proc.stdout.close();
    await termAndWait(proc);
  }
});

test("close stdin: the child sees the end of its input", async () => {
  const proc = new Subprocess([node, INTERACTIVE], { stdin: Subprocess.STREAM, stdout: Subprocess.STREAM, stderr: Subprocess.STDOUT });
  try {
    await proc.stdout.readUntil(">>> ");
    proc.stdin.close();
    expect((await proc.stdout.readUntilClose()).toString()).toBe("\n");
  } finally {
    await termAndWait(proc);
  }
});

test("stderr as a stream", async () => {
  const proc = new Subprocess([node, "-e", "process.stderr.write('hello\\n')"], { stderr: Subprocess.STREAM });
  try {
    expect((await proc.stderr.readUntil("\n")).toString()).toBe("hello\n");
  } finally {
    proc.stderr.close();
    await termAndWait(proc);
  }
});

test("sigchild: the exit callback gets the status", async () => {
  const proc = new Subprocess([node, "-e", ""]);
  const status = await new Promise<number>((resolve) => proc.setExitCallback(resolve));
  expect(status).toBe(0);
  expect(proc.returncode).toBe(0);
});

test("sigchild future", async () => {
  const proc = new Subprocess([node, "-e", ""]);
  await expect(proc.waitForExit()).resolves.toBe(0);
  expect(proc.returncode).toBe(0);
});

test("sigchild signal: killed by SIGTERM is -SIGTERM", async () => {
  const proc = new Subprocess([node, "-e", "setTimeout(() => {}, 30000); process.stdout.write('up')"], { stdout: Subprocess.STREAM });
  try {
    await proc.stdout.readBytes(2); // started: no fixed sleep before the kill
    const status = new Promise<number>((resolve) => proc.setExitCallback(resolve));
    process.kill(proc.pid as number, "SIGTERM");
    expect(await status).toBe(-constants.signals.SIGTERM);
    expect(proc.returncode).toBe(-constants.signals.SIGTERM);
  } finally {
    proc.stdout.close();
  }
});

test("wait_for_exit raises CalledProcessError, or not", async () => {
  const failing = new Subprocess([node, "-e", "process.exit(1)"]);
  const error = (await failing.waitForExit().catch((e: unknown) => e)) as CalledProcessError;
  expect(error).toBeInstanceOf(CalledProcessError);
  expect(error.returncode).toBe(1);
  expect(error.cmd).toEqual([node, "-e", "process.exit(1)"]);
  expect(error.code).toBe("TORNADO_ERR_PROCESS_EXIT");
  const quiet = new Subprocess([node, "-e", "process.exit(1)"]);
  await expect(quiet.waitForExit({ raiseError: false })).resolves.toBe(1);
});

test("a program that cannot start rejects waitForExit with the spawn error", async () => {
  const proc = new Subprocess(["/nonexistent/program"]);
  await expect(proc.waitForExit()).rejects.toMatchObject({ code: "ENOENT" });
  expect(() => new Subprocess([] as string[])).toThrow(TypeError);
});

test("PipeIOStream over a file descriptor (a FIFO)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tornado-pipe-"));
  const fifo = join(dir, "fifo");
  execFileSync("mkfifo", [fifo]);
  const writer = new Subprocess([node, "-e", `require("fs").writeFileSync(${JSON.stringify(fifo)}, "through the pipe\\n")`]);
  const fd = require("node:fs").openSync(fifo, "r") as number;
  const stream = new PipeIOStream(fd);
  try {
    expect(stream.fd).toBe(fd);
    expect((await stream.readUntilClose()).toString()).toBe("through the pipe\n");
    await writer.waitForExit();
  } finally {
    stream.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
