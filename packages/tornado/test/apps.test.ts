// Every sample application under apps/ starts with source maps on, so that a stack trace
// points at its TypeScript, and `exec`s node, so that Ctrl-C under `pnpm start` reaches the
// app directly and its graceful stop (exit 0) is what pnpm sees.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const APPS_DIR = join(__dirname, "..", "..", "..", "apps");
function startScript(name: string): string | undefined {
  const manifest = JSON.parse(readFileSync(join(APPS_DIR, name, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  return manifest.scripts?.start;
}

// The apps that start a server (a test-only app, like browser-testing, has no start script).
const apps = readdirSync(APPS_DIR).filter((name) => existsSync(join(APPS_DIR, name, "package.json")) && startScript(name) !== undefined);

describe("apps/*", () => {
  it("has at least the seed app", () => {
    expect(apps).toContain("hello");
  });

  it.each(apps)("apps/%s starts node with --enable-source-maps, by exec", (name) => {
    expect({ name, start: /^exec node (.* )?--enable-source-maps /.test(startScript(name)!) }).toEqual({ name, start: true });
  });
});
