/**
 * The chat as `pnpm start` runs it: dist/main.js (built by turbo before the tests) in a child
 * process, with its serving lines awaited.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

const MAIN = join(__dirname, "..", "dist", "main.js");
const LISTENING = /Tornado chat on (http:\/\/\S+)\/ \(process ([0-9]+)/g;

export class ChatProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  #output = "";
  #waiters: Array<() => void> = [];

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const onData = (chunk: Buffer): void => {
      this.#output += chunk.toString();
      for (const wake of this.#waiters.splice(0)) wake();
    };
    this.child.stdout!.on("data", onData);
    this.child.stderr!.on("data", onData);
    this.exited = new Promise((resolve) =>
      // "close", not "exit": the output is all read by then.
      this.child.once("close", (code) => {
        for (const wake of this.#waiters.splice(0)) wake();
        resolve(code);
      }),
    );
  }

  get output(): string {
    return this.#output;
  }

  /** Resolves once `count` processes serve, with the URL and their pids. */
  async serving(count = 1): Promise<{ url: string; pids: number[] }> {
    for (;;) {
      const lines = [...this.#output.matchAll(LISTENING)];
      if (lines.length >= count) return { url: lines[0]![1]!, pids: lines.map((line) => Number(line[2])) };
      if (this.child.exitCode !== null) throw new Error(`the chat exited with ${this.child.exitCode} before serving:\n${this.#output}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** SIGTERM, then the exit status. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGTERM");
    return this.exited;
  }
}
