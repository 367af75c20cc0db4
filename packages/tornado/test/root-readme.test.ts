// The root README works when pasted: every pnpm command goes through `npx -y pnpm@10` (a
// fresh machine has npm, not pnpm), the path to an app of your own is written down, the
// package READMEs' link to it resolves, and the benchmark charts it shows exist.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const REPO_ROOT = join(__dirname, "..", "..", "..");
const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
const rootScripts = Object.keys(
  (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts,
);

function section(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`README has no "## ${heading}"`);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe("the root README", () => {
  it("runs every pnpm command through npx -y pnpm@10", () => {
    // A command is pnpm followed by a word (`pnpm test`, `pnpm@10 --filter ...`); `pnpm` alone
    // names the tool.
    const commands = [...readme.matchAll(/\bpnpm(@10)? +-{0,2}[a-z]/g)];
    expect(commands.length).toBeGreaterThan(5);
    const bare = commands
      .filter((match) => readme.slice(match.index! - "npx -y ".length, match.index) !== "npx -y ")
      .map((match) => readme.slice(match.index! - 20, match.index! + 20));
    expect(bare).toEqual([]);
  });

  it("names only root scripts that exist", () => {
    const named = [...readme.matchAll(/npx -y pnpm@10 ([a-z][a-z-]*)/g)].map((match) => match[1]!);
    const pnpmCommands = ["install", "changeset", "--filter"];
    expect([...new Set(named)].filter((name) => !rootScripts.includes(name) && !pnpmCommands.includes(name))).toEqual([]);
  });

  it("writes down the path from a clone to an app of your own, with the time it took", () => {
    const ownApp = section("Your own app in five minutes");
    const steps = ["git clone", "npx -y pnpm@10 install", "npx -y pnpm@10 create-app ../my-app", "cd ../my-app", "npm install", "npm start"];
    const positions = steps.map((step) => ownApp.indexOf(step));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(ownApp).toMatch(/took \d+ min \d+ s/);
  });

  it("shows benchmark charts that exist, and links the results", () => {
    const charts = [...section("Benchmarks").matchAll(/!\[[^\]]*\]\(([^)]+\.svg)\)/g)].map((match) => match[1]!);
    expect(charts.length).toBeGreaterThanOrEqual(6);
    expect(charts.filter((chart) => !existsSync(join(REPO_ROOT, chart)))).toEqual([]);
    expect(existsSync(join(REPO_ROOT, "bench", "RESULTS.md"))).toBe(true);
  });
});
