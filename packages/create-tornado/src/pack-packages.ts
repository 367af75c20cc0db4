/**
 * Packs workspace packages with `pnpm pack`, which writes the package.json a registry would
 * get (`workspace:*` replaced by the version), into an app's tarballs folder. Each file name
 * carries a hash of its content, so that an app refreshed with new tarballs has new specs in
 * its package.json and npm installs them instead of trusting its lockfile's old integrity.
 */

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PackError } from "./errors";
import type { WorkspacePackage } from "./workspace";

/** A packed package: its name and the tarball's file name in the destination folder. */
export interface Tarball {
  readonly name: string;
  readonly file: string;
}

/** How to run pnpm: the one running this script (`npm_execpath`), else `npx -y pnpm@10`. */
export function pnpmCommand(environment: NodeJS.ProcessEnv = process.env): [string, string[]] {
  const execPath = environment.npm_execpath;
  if (execPath !== undefined && /pnpm/.test(path.basename(execPath))) return [process.execPath, [execPath]];
  return ["npx", ["-y", "pnpm@10"]];
}

function checkBuilt(item: WorkspacePackage): void {
  const manifest = JSON.parse(readFileSync(path.join(item.directory, "package.json"), "utf8")) as { main?: string };
  const main = path.join(item.directory, manifest.main ?? "dist/index.js");
  if (!existsSync(main)) {
    throw new PackError(`${item.name} is not built (no ${path.relative(item.directory, main)}): run npx -y pnpm@10 build first`);
  }
}

/** Packs `packages` from the workspace at `root` into `destination` (which must exist). */
export function packPackages(packages: readonly WorkspacePackage[], destination: string, root: string): Tarball[] {
  for (const item of packages) checkBuilt(item);
  const staging = mkdtempSync(path.join(tmpdir(), "create-tornado-pack-"));
  try {
    const [command, prefix] = pnpmCommand();
    const filters = packages.flatMap((item) => ["--filter", item.name]);
    const result = spawnSync(command, [...prefix, "-r", ...filters, "pack", "--pack-destination", staging, "--json"], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) {
      throw new PackError(`pnpm pack failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}`);
    }
    const parsed = JSON.parse(result.stdout) as { name: string; filename: string } | Array<{ name: string; filename: string }>;
    const packed = Array.isArray(parsed) ? parsed : [parsed];
    return packed
      .map(({ name, filename }) => {
        const source = path.isAbsolute(filename) ? filename : path.join(staging, path.basename(filename));
        const hash = createHash("sha256").update(readFileSync(source)).digest("hex").slice(0, 10);
        const file = `${path.basename(source, ".tgz")}-${hash}.tgz`;
        copyFileSync(source, path.join(destination, file));
        return { name, file };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
