/**
 * Subprocess: a child process whose pipes are IOStreams, with an exit callback and a
 * Promise of its exit status.
 *
 * Tornado: tornado.process.Subprocess.
 */

import { spawn, type ChildProcess, type SpawnOptions, type StdioNull, type StdioPipe } from "node:child_process";
import { constants } from "node:os";
import type * as net from "node:net";
import type { Stream } from "node:stream";
import { ArgumentTypeError, checkCallback, describeValue } from "@tornado/util";
import { CalledProcessError, NotSupportedError } from "../errors";
import { IOLoop } from "../loop/ioloop";
import { PipeIOStream } from "../stream/pipe-iostream";

const STREAM = Symbol("Subprocess.STREAM");
const STDOUT = Symbol("Subprocess.STDOUT");

/** Where a standard stream goes: a PipeIOStream (STREAM), or what node:child_process takes. */
export type SubprocessStdio = typeof STREAM | StdioNull | StdioPipe | number | Stream;

export interface SubprocessOptions extends Omit<SpawnOptions, "stdio"> {
  /** Default "inherit" (Python's None): the parent's. `Subprocess.STREAM`: a PipeIOStream. */
  stdin?: SubprocessStdio;
  stdout?: SubprocessStdio;
  /** As stdout, or `Subprocess.STDOUT` to send it into stdout (Python: subprocess.STDOUT). */
  stderr?: SubprocessStdio | typeof STDOUT;
}

/** What a stdio slot of a Subprocess holds. */
type StdioOf<S> = S extends typeof STREAM ? PipeIOStream : S extends "pipe" | "overlapped" ? net.Socket : null;

/**
 * Runs `args[0]` with the other arguments, as Python's subprocess.Popen does, with
 * `Subprocess.STREAM` for a standard stream to get a PipeIOStream for it (close it when done).
 * The exit is reported by setExitCallback() and waitForExit(); a negative returncode is the
 * signal that ended the process. Tornado: tornado.process.Subprocess.
 *
 * @example
 * const proc = new Subprocess(["git", "rev-parse", "HEAD"], { stdout: Subprocess.STREAM });
 * const head = (await proc.stdout.readUntilClose()).toString().trim();
 * await proc.waitForExit(); // CalledProcessError on a non-zero status
 */
export class Subprocess<Options extends SubprocessOptions = SubprocessOptions> {
  /** Pass as stdin, stdout or stderr to get a PipeIOStream. Tornado: Subprocess.STREAM. */
  static readonly STREAM: typeof STREAM = STREAM;
  /** Pass as stderr to merge it into stdout. Python: subprocess.STDOUT. */
  static readonly STDOUT: typeof STDOUT = STDOUT;

  /** The node:child_process object. Tornado: Subprocess.proc (a Popen). */
  readonly proc: ChildProcess;
  readonly pid: number | undefined;
  readonly stdin: StdioOf<Options["stdin"]>;
  readonly stdout: StdioOf<Options["stdout"]>;
  readonly stderr: StdioOf<Options["stderr"]>;
  /** The exit status once known, minus the signal number if killed by one; else null. */
  returncode: number | null = null;
  readonly #args: readonly string[];
  readonly #loop = IOLoop.current();
  #exitCallback: ((returncode: number) => void) | null = null;
  #spawnError: Error | null = null;
  readonly #spawnErrorWaiters: Array<(error: Error) => void> = [];

  /**
   * @param args the program and its arguments (Python's popen args as a list)
   * @param options node:child_process spawn options, with stdin, stdout, stderr as above
   */
  constructor(args: readonly string[], options: Options = {} as Options) {
    if (!Array.isArray(args) || args.length === 0 || !args.every((arg) => typeof arg === "string")) {
      throw new ArgumentTypeError(`args must be a non-empty array of strings, got ${describeValue(args)}`);
    }
    const { stdin, stdout, stderr, ...spawnOptions } = options;
    const slot = (value: SubprocessStdio | undefined) => (value === STREAM ? "pipe" : (value ?? "inherit"));
    let command = args;
    if (stderr === STDOUT) {
      if (process.platform === "win32") throw new NotSupportedError("Subprocess.STDOUT needs a POSIX shell");
      // The shell points fd 2 at fd 1, then becomes the program (same pid), as Popen's dup2.
      command = ["/bin/sh", "-c", 'exec "$@" 2>&1', "sh", ...args];
    }
    this.#args = args;
    this.proc = spawn(command[0] as string, command.slice(1), {
      ...spawnOptions,
      stdio: [slot(stdin), slot(stdout), stderr === STDOUT ? "ignore" : slot(stderr)],
    });
    this.pid = this.proc.pid;
    const wrap = (value: unknown, stream: unknown) =>
      value === STREAM ? new PipeIOStream(stream as net.Socket) : value === "pipe" || value === "overlapped" ? stream : null;
    this.stdin = wrap(stdin, this.proc.stdin) as StdioOf<Options["stdin"]>;
    this.stdout = wrap(stdout, this.proc.stdout) as StdioOf<Options["stdout"]>;
    this.stderr = wrap(stderr, this.proc.stderr) as StdioOf<Options["stderr"]>;
    this.proc.once("error", (error) => {
      // The program could not be started (ENOENT, EACCES): waitForExit() rejects with it.
      this.#spawnError = error;
      for (const reject of this.#spawnErrorWaiters.splice(0)) reject(error);
    });
    this.proc.once("exit", (code, signal) => {
      this.returncode = code ?? -(constants.signals[signal as NodeJS.Signals] ?? 0);
      this.#loop.addCallback(() => this.#runExitCallback());
    });
  }

  /**
   * Runs `callback(returncode)` on the IOLoop when the process exits (at once if it has).
   * Node reaps children itself, so no SIGCHLD handler is installed. Tornado: set_exit_callback.
   */
  setExitCallback(callback: (returncode: number) => void): void {
    checkCallback(callback);
    this.#exitCallback = callback;
    if (this.returncode !== null) this.#loop.addCallback(() => this.#runExitCallback());
  }

  /**
   * Resolves with the exit status when the process exits; with `raiseError` (default true) a
   * non-zero status rejects with CalledProcessError instead. Rejects with the spawn error if
   * the program could not be started. Tornado: Subprocess.wait_for_exit(raise_error=True).
   */
  waitForExit(options: { raiseError?: boolean } = {}): Promise<number> {
    const raiseError = options.raiseError ?? true;
    return new Promise<number>((resolve, reject) => {
      if (this.#spawnError !== null) {
        reject(this.#spawnError);
        return;
      }
      this.#spawnErrorWaiters.push(reject);
      this.setExitCallback((returncode) => {
        if (returncode !== 0 && raiseError) reject(new CalledProcessError(returncode, this.#args));
        else resolve(returncode);
      });
    });
  }

  #runExitCallback(): void {
    const callback = this.#exitCallback;
    this.#exitCallback = null;
    callback?.(this.returncode as number);
  }
}
