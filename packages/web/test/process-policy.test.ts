// Errors outside a handler's chain in an app started with Application.listen() alone: logged
// on tornado.application, and the server goes on answering (the process policy of
// @tornado/ioloop). Runs test/fixtures/errors-outside-handler.js against the built package.
import { spawn } from "node:child_process";
import { join } from "node:path";

describe("an app started with Application.listen()", () => {
  it("logs errors outside its handlers' chains, keeps serving, and exits 0 on SIGINT", async () => {
    const child = spawn(process.execPath, [join(__dirname, "fixtures", "errors-outside-handler.js")], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk) => (stdout += chunk));
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    const logged = (pattern: RegExp): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (pattern.test(stderr)) {
            child.stderr!.off("data", check);
            resolve();
          }
        };
        child.stderr!.on("data", check);
        check();
      });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout!.on("data", () => {
          const match = /port (\d+)/.exec(stdout);
          if (match) resolve(Number(match[1]));
        });
        void exited.then((code) => reject(new Error(`exited with ${code}: ${stderr}`)));
      });
      const base = `http://127.0.0.1:${port}`;

      expect(await (await fetch(`${base}/late-write`)).text()).toBe("finished");
      await logged(/Cannot write\(\) after finish\(\)/);
      expect(stderr).toMatch(
        /\[E [^\]]* tornado\.application\] Uncaught exception outside a request handler \(the process goes on\)\n {4}ResponseStateError: Cannot write\(\) after finish\(\)\n[\s\S]*?\n\s+at LateWriteHandler\.write [^\n]*\n\s+at Timeout\._onTimeout [^\n]*errors-outside-handler\.js:11:/,
      );
      expect(await (await fetch(`${base}/`)).text()).toBe("still serving");

      expect(await (await fetch(`${base}/unawaited`)).text()).toBe("answered");
      await logged(/nobody awaits this/);
      expect(stderr).toMatch(/tornado\.application\] Unhandled rejection outside a request handler \(the process goes on\)\n {4}Error: nobody awaits this\n\s+at UnawaitedRejectionHandler\.get/);
      expect(await (await fetch(`${base}/`)).text()).toBe("still serving");
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain("SIGINT: stopping gracefully");
  });
});
