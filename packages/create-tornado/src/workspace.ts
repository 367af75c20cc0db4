/**
 * The pnpm workspace this scaffold lives in, and its public @tornado packages, read from
 * pnpm-workspace.yaml and each package.json: a package added to the workspace is packed
 * without anyone listing it here.
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { WorkspaceNotFoundError } from "./errors";

/** A public @tornado package of the workspace. */
export interface WorkspacePackage {
  /** "@tornado/web". */
  readonly name: string;
  readonly version: string;
  /** Absolute path of its folder. */
  readonly directory: string;
  /** The @tornado packages it depends on at run time. */
  readonly tornadoDependencies: readonly string[];
}

const WORKSPACE_FILE = "pnpm-workspace.yaml";

/** The folder holding pnpm-workspace.yaml at or above `start`; WorkspaceNotFoundError without. */
export function findWorkspaceRoot(start: string): string {
  for (let directory = path.resolve(start); ; directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, WORKSPACE_FILE))) return directory;
    if (path.dirname(directory) === directory) break;
  }
  throw new WorkspaceNotFoundError(
    `no ${WORKSPACE_FILE} above ${start}: until the @tornado packages are published, run create-tornado from a clone of the repository (npx -y pnpm@10 create-app <folder>)`,
  );
}

/**
 * The `packages:` globs of pnpm-workspace.yaml. pnpm's globs here are folders (`apps/*`,
 * `bench`); a leading `!` excludes.
 */
export function workspaceGlobs(yaml: string): string[] {
  const globs: string[] = [];
  let inPackages = false;
  for (const line of yaml.split(/\r?\n/)) {
    if (/^\S/.test(line)) inPackages = /^packages\s*:/.test(line);
    const item = inPackages ? /^\s+-\s+(['"]?)(.+?)\1\s*(#.*)?$/.exec(line) : null;
    if (item) globs.push(item[2]!);
  }
  return globs;
}

function expand(root: string, glob: string): string[] {
  const parts = glob.replace(/\/+$/, "").split("/");
  let directories = [root];
  for (const part of parts) {
    const next: string[] = [];
    for (const directory of directories) {
      if (part === "*" || part === "**") {
        if (!existsSync(directory)) continue;
        for (const entry of readdirSync(directory, { withFileTypes: true })) {
          if (entry.isDirectory() && entry.name !== "node_modules") next.push(path.join(directory, entry.name));
        }
      } else {
        next.push(path.join(directory, part));
      }
    }
    directories = next;
  }
  return directories.filter((directory) => existsSync(path.join(directory, "package.json")));
}

interface Manifest {
  name?: string;
  version?: string;
  private?: boolean;
  dependencies?: Record<string, string>;
}

/** The public (not private) @tornado packages of the workspace at `root`, sorted by name. */
export function workspacePackages(root: string): WorkspacePackage[] {
  const globs = workspaceGlobs(readFileSync(path.join(root, WORKSPACE_FILE), "utf8"));
  const excluded = new Set(globs.filter((glob) => glob.startsWith("!")).flatMap((glob) => expand(root, glob.slice(1))));
  const found = new Map<string, WorkspacePackage>();
  for (const glob of globs.filter((glob) => !glob.startsWith("!"))) {
    for (const directory of expand(root, glob)) {
      if (excluded.has(directory)) continue;
      const manifest = JSON.parse(readFileSync(path.join(directory, "package.json"), "utf8")) as Manifest;
      if (manifest.private || !manifest.name?.startsWith("@tornado/")) continue;
      found.set(manifest.name, {
        name: manifest.name,
        version: manifest.version ?? "0.0.0",
        directory,
        tornadoDependencies: Object.keys(manifest.dependencies ?? {}).filter((name) => name.startsWith("@tornado/")),
      });
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}
