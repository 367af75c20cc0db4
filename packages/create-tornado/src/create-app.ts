/**
 * createApp: a new app from template/, on tarballs packed from the workspace; or, with
 * `update`, fresh tarballs for an app made earlier.
 */

import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { appManifest, appName, TARBALLS_FOLDER, withTarballs, type AppManifest } from "./app-manifest";
import { CreateArgumentError, TargetNotEmptyError } from "./errors";
import { packPackages, type Tarball } from "./pack-packages";
import { findWorkspaceRoot, workspacePackages } from "./workspace";

export interface CreateAppOptions {
  /** The app's folder (created if missing); relative paths resolve against `cwd`. */
  directory: string;
  /** Base of a relative `directory`; default process.cwd(). */
  cwd?: string;
  /** Only repack the tarballs of an existing app and repoint its package.json. Default false. */
  update?: boolean;
}

export interface CreatedApp {
  /** Absolute folder of the app. */
  readonly directory: string;
  /** Its package name. */
  readonly name: string;
  readonly tarballs: readonly Tarball[];
}

/** The app template shipped with this package. */
export const TEMPLATE_DIRECTORY = path.join(__dirname, "..", "template");

// npm leaves dot-files out of a package, so the template stores them without the dot.
const RENAMED = new Map([["gitignore", ".gitignore"]]);

function copyTemplate(target: string, name: string): void {
  cpSync(TEMPLATE_DIRECTORY, target, { recursive: true });
  for (const [stored, real] of RENAMED) {
    if (existsSync(path.join(target, stored))) renameSync(path.join(target, stored), path.join(target, real));
  }
  const readme = path.join(target, "README.md");
  writeFileSync(readme, readFileSync(readme, "utf8").replaceAll("{{name}}", name));
}

/** Creates the app (or refreshes its tarballs with `update`). Returns what it made. */
export function createApp(options: CreateAppOptions): CreatedApp {
  if (options === null || typeof options !== "object" || typeof options.directory !== "string" || options.directory === "") {
    throw new CreateArgumentError("createApp needs { directory }: the folder of the app");
  }
  const directory = path.resolve(options.cwd ?? process.cwd(), options.directory);
  const manifestFile = path.join(directory, "package.json");
  const update = options.update === true;
  if (update && !existsSync(manifestFile)) {
    throw new CreateArgumentError(`${directory} has no package.json: --update refreshes an app made by create-tornado`);
  }
  if (existsSync(directory) && !statSync(directory).isDirectory()) {
    throw new CreateArgumentError(`${directory} exists and is not a folder`);
  }
  if (!update && existsSync(directory) && readdirSync(directory).length > 0) throw new TargetNotEmptyError(directory);

  const root = findWorkspaceRoot(__dirname);
  const packages = workspacePackages(root);
  const tarballsDirectory = path.join(directory, TARBALLS_FOLDER);
  const existing = update ? (JSON.parse(readFileSync(manifestFile, "utf8")) as AppManifest) : null;
  const name = existing?.name ?? appName(path.basename(directory));

  mkdirSync(tarballsDirectory, { recursive: true });
  for (const file of readdirSync(tarballsDirectory)) {
    if (/^tornado-.*\.tgz$/.test(file)) rmSync(path.join(tarballsDirectory, file));
  }
  const tarballs = packPackages(packages, tarballsDirectory, root);
  if (existing === null) copyTemplate(directory, name);
  const manifest = existing === null ? appManifest(name, tarballs) : withTarballs(existing, tarballs);
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
  return { directory, name, tarballs };
}
