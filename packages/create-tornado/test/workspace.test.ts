import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findWorkspaceRoot, WorkspaceNotFoundError, workspaceGlobs, workspacePackages } from "create-tornado";

const REPO_ROOT = join(__dirname, "..", "..", "..");

describe("workspaceGlobs", () => {
  it("reads the packages list of pnpm-workspace.yaml, quoted or not, with exclusions", () => {
    const yaml = 'packages:\n  - packages/*\n  - "apps/*"   # samples\n  - \'!apps/old\'\n  - bench\n\nonlyBuiltDependencies:\n  - bufferutil\n';
    expect(workspaceGlobs(yaml)).toEqual(["packages/*", "apps/*", "!apps/old", "bench"]);
  });
});

describe("workspacePackages", () => {
  const packages = workspacePackages(REPO_ROOT);

  it("finds this repository from inside it", () => {
    expect(findWorkspaceRoot(__dirname)).toBe(REPO_ROOT);
  });

  it("lists every public @tornado package of the workspace, and no private one", () => {
    const names = packages.map((item) => item.name);
    expect(names).toEqual(expect.arrayContaining(["@tornado/util", "@tornado/web", "@tornado/testing", "@tornado/tornado"]));
    expect(names).not.toContain("create-tornado");
    expect(names.some((name) => name.startsWith("@tornado-apps/") || name === "@tornado/bench")).toBe(false);
    for (const item of packages) {
      const manifest = JSON.parse(readFileSync(join(item.directory, "package.json"), "utf8"));
      expect({ name: manifest.name, private: manifest.private }).toEqual({ name: item.name, private: undefined });
    }
  });

  it("knows each package's @tornado dependencies", () => {
    const template = packages.find((item) => item.name === "@tornado/template")!;
    expect([...template.tornadoDependencies].sort()).toEqual(["@tornado/escape", "@tornado/util"]);
  });

  // "@tornado/tornado brings every package it re-exports": each `export * from` of the
  // meta-package is one of its dependencies, so npm installs it.
  it("has the meta-package depend on every package it re-exports", () => {
    const meta = packages.find((item) => item.name === "@tornado/tornado")!;
    const source = readFileSync(join(meta.directory, "src", "index.ts"), "utf8");
    const reexported = new Set([...source.matchAll(/^export [^;]*from "(@tornado\/[a-z]+)"/gm)].map((match) => match[1]));
    expect(reexported.size).toBeGreaterThan(5);
    expect([...reexported].filter((name) => !meta.tornadoDependencies.includes(name!))).toEqual([]);
  });
});

describe("findWorkspaceRoot", () => {
  it("throws WorkspaceNotFoundError outside a workspace, saying how to run the scaffold", () => {
    const directory = mkdtempSync(join(tmpdir(), "no-workspace-"));
    try {
      expect(() => findWorkspaceRoot(directory)).toThrow(WorkspaceNotFoundError);
      expect(() => findWorkspaceRoot(directory)).toThrow(/npx -y pnpm@10 create-app <folder>/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
