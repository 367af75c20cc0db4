import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import ts from "typescript";

// The root README's seed example, run as written through the built meta-package, once
// compiled to an ES module and once to CommonJS.
const REPO_ROOT = join(__dirname, "..", "..", "..");
const SEED_FENCE = /```ts\n(import \{ Application, RequestHandler, IOLoop \} from "@tornado\/tornado";[\s\S]*?)```/;

function seedFromReadme(): string {
  const match = SEED_FENCE.exec(readFileSync(join(REPO_ROOT, "README.md"), "utf8"));
  if (!match) throw new Error("README.md has no seed example block");
  return match[1];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function fetchWhenUp(url: string, child: ChildProcess): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`example exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      return await response.text();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`nothing answered at ${url}`);
}

describe("the README's seed example", () => {
  const workDir = mkdtempSync(join(__dirname, "seed-"));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it("is the block the product description gives", () => {
    expect(seedFromReadme()).toContain('class MainHandler extends RequestHandler { get() { this.write("Hello, Tornado!"); } }');
    expect(seedFromReadme()).toContain("app.listen(8888);");
  });

  it.each([
    ["ESM", ts.ModuleKind.ESNext, "seed.mjs"],
    ["CommonJS", ts.ModuleKind.CommonJS, "seed.cjs"],
  ])("answers Hello, Tornado! when compiled to %s", async (_label, module, fileName) => {
    const port = await freePort();
    const source = seedFromReadme().replace("app.listen(8888)", `app.listen(${port})`);
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module, target: ts.ScriptTarget.ES2022 },
    });
    // The file lives inside this package, so "@tornado/tornado" resolves through the
    // workspace's node_modules to the built dist/, exactly as for an installed user.
    const file = join(workDir, fileName);
    writeFileSync(file, outputText);
    const child = spawn(process.execPath, [file], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    try {
      await expect(fetchWhenUp(`http://127.0.0.1:${port}/`, child)).resolves.toBe("Hello, Tornado!");
    } catch (error) {
      throw new Error(`${String(error)}\nstderr: ${stderr}`);
    } finally {
      child.kill();
      await new Promise((resolve) => child.once("exit", resolve));
    }
  });
});
