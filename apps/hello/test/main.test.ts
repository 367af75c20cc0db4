import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";

// apps/hello is the seed example on port 8888, run from its build as `pnpm start` runs it.
const PORT = 8888;

async function portIsFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once("error", () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

describe("apps/hello", () => {
  it("answers Hello, Tornado! on http://localhost:8888/", async () => {
    if (!(await portIsFree(PORT))) {
      throw new Error(`port ${PORT} is in use: stop whatever listens there (the sample app itself?) and rerun`);
    }
    const child = spawn(process.execPath, [join(__dirname, "..", "dist", "main.js")], { stdio: "ignore" });
    try {
      let body: string | undefined;
      for (let attempt = 0; attempt < 100 && body === undefined; attempt++) {
        body = await fetch(`http://localhost:${PORT}/`).then(
          (response) => response.text(),
          () => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100)),
        );
      }
      expect(body).toBe("Hello, Tornado!");
    } finally {
      child.kill();
      await new Promise((resolve) => child.once("exit", resolve));
    }
  });
});
