// End to end, as a newcomer does it: `npx -y pnpm@10 create-app <folder>` makes an app in an
// empty temporary folder outside the repository; npm alone installs it from the packed
// tarballs; `npm start` serves its page and stops cleanly on Ctrl-C; `npm test` passes; and
// every package README's example runs as written inside it. Needs the npm registry (for
// typescript, tsx and the packages' own dependencies) and built packages (turbo builds them
// first: create-tornado's devDependency on @tornado/tornado).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { workspacePackages } from "create-tornado";
import { readmeExample } from "./readme-examples";
import { cleanEnvironment, fetchWhenUp, freePort, outputUntil, REPO_ROOT, run, start } from "./support";

const work = mkdtempSync(join(tmpdir(), "create-tornado-e2e-"));
const appDirectory = join(work, "my-app");
const npm = (args: string[], seconds: number, extra: Record<string, string> = {}) =>
  run("npm", args, { cwd: appDirectory, env: cleanEnvironment(extra), seconds });

const packages = workspacePackages(REPO_ROOT);
const examples = packages
  .map((item) => ({ name: item.name, example: readmeExample(readFileSync(join(item.directory, "README.md"), "utf8")) }))
  .filter((entry) => entry.example !== null);

let created = "";

beforeAll(async () => {
  const result = await run("npx", ["-y", "pnpm@10", "create-app", appDirectory], {
    cwd: REPO_ROOT,
    env: cleanEnvironment(),
    seconds: 300,
  });
  created = result.stdout;
  if (result.code !== 0) throw new Error(`create-app failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  const install = await npm(["install", "--no-audit", "--no-fund"], 300);
  if (install.code !== 0) throw new Error(`npm install failed (${install.code}):\n${install.stdout}\n${install.stderr}`);
}, 620_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("npx -y pnpm@10 create-app <folder>, then npm install", () => {
  it("says what it made and what to type next", () => {
    expect(relative(REPO_ROOT, appDirectory).startsWith("..")).toBe(true);
    expect(created).toContain(`Created my-app in ${appDirectory}`);
    expect(created).toMatch(/npm install\n\s+npm start/);
  });

  it("installs every @tornado package from the tarballs (none from the registry) through @tornado/tornado alone", () => {
    const manifest = JSON.parse(readFileSync(join(appDirectory, "package.json"), "utf8"));
    expect(Object.keys(manifest.dependencies)).toEqual(["@tornado/tornado"]);
    const lock = JSON.parse(readFileSync(join(appDirectory, "package-lock.json"), "utf8")) as {
      packages: Record<string, { resolved?: string }>;
    };
    const installed = Object.entries(lock.packages).filter(([path]) => /node_modules\/@tornado\//.test(path));
    const meta = packages.find((item) => item.name === "@tornado/tornado")!;
    // The meta-package's whole @tornado closure is there.
    const closure = new Set<string>();
    const visit = (name: string): void => {
      if (closure.has(name)) return;
      closure.add(name);
      for (const dependency of packages.find((item) => item.name === name)?.tornadoDependencies ?? []) visit(dependency);
    };
    visit(meta.name);
    expect(installed.map(([path]) => path.replace(/^.*node_modules\//, "")).sort()).toEqual([...closure].sort());
    for (const [path, entry] of installed) expect({ path, resolved: entry.resolved?.startsWith("file:tarballs/") }).toEqual({ path, resolved: true });
  });
});

describe("the app", () => {
  it("npm start serves the page and its static file, and Ctrl-C (SIGINT to the group) stops it with exit 0", async () => {
    const port = await freePort();
    const server = start("npm", ["start"], { cwd: appDirectory, env: cleanEnvironment({ PORT: String(port) }), detached: true, seconds: 120 });
    let page: Response | null = null;
    let pageText = "";
    let style: Response | null = null;
    try {
      page = await fetchWhenUp(`http://127.0.0.1:${port}/?name=newcomer`, server, 90);
      pageText = (await page?.text()) ?? "";
      const href = /href="(\/static\/style\.css\?v=\w+)"/.exec(pageText)?.[1];
      if (href) style = await fetch(`http://127.0.0.1:${port}${href}`);
    } finally {
      process.kill(-server.child.pid!, "SIGINT");
    }
    const finished = await server.finished;
    expect({ status: page?.status, hello: pageText.includes("<h1>Hello, newcomer!</h1>") }).toEqual({ status: 200, hello: true });
    expect(style?.status).toBe(200);
    expect(style?.headers.get("content-type")).toMatch(/^text\/css/);
    expect(finished.stdout).toContain(`Listening on http://localhost:${port}/`);
    expect(finished.stderr).toContain("SIGINT: stopping gracefully");
    expect({ code: finished.code, npmErrors: /npm error|ERR!/.test(finished.stderr) }).toEqual({ code: 0, npmErrors: false });
  }, 130_000);

  it("npm test type-checks and passes its node:test tests", async () => {
    const result = await npm(["test"], 120);
    expect({ code: result.code, output: result.stdout }).toEqual({ code: 0, output: expect.stringMatching(/^# pass 3$/m) });
    expect(result.stdout).toMatch(/^# fail 0$/m);
  }, 130_000);

  it("npm run dev serves the app from its TypeScript and stops on Ctrl-C", async () => {
    const port = await freePort();
    const dev = start("npm", ["run", "dev"], { cwd: appDirectory, env: cleanEnvironment({ PORT: String(port) }), detached: true, seconds: 90 });
    let status: number | undefined;
    try {
      status = (await fetchWhenUp(`http://127.0.0.1:${port}/`, dev, 60))?.status;
    } finally {
      process.kill(-dev.child.pid!, "SIGINT");
    }
    const finished = await dev.finished;
    expect(status).toBe(200);
    expect(finished.stderr).toContain("SIGINT: stopping gracefully");
    expect(finished.stderr).not.toMatch(/again: exiting|npm error/);
    expect(finished.code).toBe(0);
  }, 100_000);

  it("a port already in use ends npm start with an AddressInUseError naming the port", async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, resolve));
    const { port } = holder.address() as { port: number };
    try {
      const result = await npm(["start"], 90, { PORT: String(port) });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(`AddressInUseError: port ${port} is already in use on :: (every interface)`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 100_000);

  it("a stack trace from the built app points at its TypeScript source", async () => {
    mkdirSync(join(appDirectory, "src", "extra"), { recursive: true });
    writeFileSync(
      join(appDirectory, "src", "extra", "fail.ts"),
      'const where: string = "in TypeScript";\n\nthrow new Error(`thrown ${where}`);\n',
    );
    try {
      expect((await npm(["run", "build"], 90)).code).toBe(0);
      const result = await run(process.execPath, ["--enable-source-maps", join("dist", "extra", "fail.js")], {
        cwd: appDirectory,
        seconds: 30,
      });
      expect(result.stderr).toContain("Error: thrown in TypeScript");
      expect(result.stderr).toMatch(/src\/extra\/fail\.ts:3:7/);
    } finally {
      rmSync(join(appDirectory, "src", "extra"), { recursive: true, force: true });
      rmSync(join(appDirectory, "dist", "extra"), { recursive: true, force: true });
    }
  }, 100_000);
});

describe("the package READMEs' examples, run in the app as written", () => {
  const examplesDirectory = join(appDirectory, "readme-examples");
  // The examples listen on 8888; each gets a free port instead, as the only change.
  const ports = new Map<string, number>();
  const fileOf = (name: string): string => {
    const example = examples.find((entry) => entry.name === name)!.example!;
    const test = /from "node:test"/.test(example.code) ? ".test" : "";
    return join(examplesDirectory, `${name.replace("@tornado/", "")}${test}.${example.language}`);
  };

  beforeAll(async () => {
    mkdirSync(examplesDirectory, { recursive: true });
    for (const { name, example } of examples) {
      const port = await freePort();
      ports.set(name, port);
      writeFileSync(fileOf(name), example!.code.replaceAll("8888", String(port)));
    }
    writeFileSync(
      join(appDirectory, "tsconfig.examples.json"),
      JSON.stringify({ extends: "./tsconfig.json", include: ["readme-examples/*.ts"] }),
    );
  });

  it("finds the examples of the packages that have one", () => {
    expect(examples.map((entry) => entry.name)).toEqual(expect.arrayContaining(["@tornado/web", "@tornado/template", "@tornado/tornado"]));
  });

  it("type-check with the app's own tsconfig (ES modules, top-level await)", async () => {
    const result = await run(process.execPath, [join("node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.examples.json"], {
      cwd: appDirectory,
      seconds: 120,
    });
    expect({ code: result.code, errors: result.stdout }).toEqual({ code: 0, errors: "" });
  }, 130_000);

  it.each(examples.map((entry) => entry.name))("%s", async (name) => {
    const example = examples.find((entry) => entry.name === name)!.example!;
    const file = fileOf(name);
    const isTest = file.includes(".test.");
    const running = start(process.execPath, ["--enable-source-maps", "--import", "tsx", ...(isTest ? ["--test"] : []), file], {
      cwd: appDirectory,
      env: cleanEnvironment(),
      seconds: 60,
    });
    let status: number | undefined;
    if (example.expected !== null) {
      const expected = example.expected.trim();
      await outputUntil(running, (stdout) => stdout.trim() === expected);
    } else if (!isTest) {
      // A server: its first route ("/" in most examples), answered without an error (a login
      // route redirects to its provider: not followed).
      const route = /\[\[\s*"(\/[^"]*)"/.exec(example.code)?.[1] ?? "/";
      status = (await fetchWhenUp(`http://127.0.0.1:${ports.get(name)}${route}`, running, 45, { redirect: "manual" }))?.status;
    }
    // A server runs until stopped; a script or a test file ends by itself.
    if (!isTest && running.child.exitCode === null) running.child.kill("SIGINT");
    const finished = await running.finished;
    const context = { name, stderr: finished.stderr };
    if (isTest) {
      expect({ ...context, code: finished.code }).toEqual({ ...context, code: 0 });
      expect(finished.stdout).toMatch(/^# fail 0$/m);
    } else if (example.expected !== null) {
      expect({ ...context, stdout: finished.stdout.trim() }).toEqual({ ...context, stdout: example.expected.trim() });
    } else {
      expect({ ...context, answered: status !== undefined && status >= 200 && status < 400 }).toEqual({ ...context, answered: true });
    }
    expect({ ...context, ended: finished.code === 0 || finished.signal === "SIGINT" }).toEqual({ ...context, ended: true });
  }, 70_000);
});
