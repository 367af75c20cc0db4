/**
 * The package.json of a new app, and the rewrite that points it at a set of tarballs: the
 * app depends on @tornado/tornado (which brings every package it re-exports), and npm
 * `overrides` send every @tornado dependency, at any depth, to its tarball, since npm installs
 * the dependencies of a tarball from the registry unless told otherwise.
 */

import { CreateArgumentError } from "./errors";
import type { Tarball } from "./pack-packages";

/** The fields of an app's package.json that create-tornado writes or rewrites. */
export interface AppManifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  overrides?: Record<string, unknown>;
  [field: string]: unknown;
}

/** The folder of the app that holds the tarballs, relative to its package.json. */
export const TARBALLS_FOLDER = "tarballs";

const META_PACKAGE = "@tornado/tornado";

/** `file:` spec of a tarball, relative to the app (npm resolves it against the root package). */
export function tarballSpec(tarball: Tarball): string {
  return `file:${TARBALLS_FOLDER}/${tarball.file}`;
}

/** A valid npm package name from a folder name ("My App" -> "my-app"). */
export function appName(folderName: string): string {
  const name = folderName
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, "-")
    .replace(/^[._-]+|-+$/g, "");
  if (name === "" || name === "node_modules" || name === "favicon.ico" || name.length > 214) {
    throw new CreateArgumentError(`cannot make an npm package name from the folder name ${JSON.stringify(folderName)}`);
  }
  return name;
}

/** The package.json of a new app named `name`, on `tarballs`. */
export function appManifest(name: string, tarballs: readonly Tarball[]): AppManifest {
  return withTarballs(
    {
      name,
      version: "0.1.0",
      private: true,
      description: "A Tornado for TypeScript app",
      type: "module",
      engines: { node: ">=20.19" },
      scripts: {
        build: "tsc -p tsconfig.build.json",
        // exec: no shell between npm and node, so Ctrl-C ends in the app's graceful stop, exit 0.
        start: "tsc -p tsconfig.build.json && exec node --enable-source-maps dist/main.js",
        dev: "exec tsx watch src/main.ts",
        test: "tsc && node --enable-source-maps --import tsx --test test/*.test.ts",
      },
      dependencies: {},
      devDependencies: { "@types/node": "^20.19.0", tsx: "^4.20.0", typescript: "~5.9.3" },
      // npm 11 runs no dependency install scripts unless listed (the repository's pnpm
      // onlyBuiltDependencies, and tsx's esbuild).
      allowScripts: { bufferutil: true, "utf-8-validate": true, esbuild: true },
    },
    tarballs,
  );
}

/**
 * `manifest` with every @tornado dependency and override pointing at `tarballs`: the app
 * depends on @tornado/tornado, and `overrides` maps every packed package to its tarball.
 */
export function withTarballs(manifest: AppManifest, tarballs: readonly Tarball[]): AppManifest {
  const specs = new Map(tarballs.map((tarball) => [tarball.name, tarballSpec(tarball)]));
  if (!specs.has(META_PACKAGE)) throw new CreateArgumentError(`the tarballs have no ${META_PACKAGE}`);
  const repoint = (section: Record<string, string> | undefined): Record<string, string> => {
    const result: Record<string, string> = {};
    for (const [name, spec] of Object.entries(section ?? {})) result[name] = specs.get(name) ?? spec;
    return result;
  };
  const overrides: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(manifest.overrides ?? {})) if (!name.startsWith("@tornado/")) overrides[name] = spec;
  for (const [name, spec] of [...specs].sort(([a], [b]) => a.localeCompare(b))) overrides[name] = spec;
  return {
    ...manifest,
    dependencies: { ...repoint(manifest.dependencies), [META_PACKAGE]: specs.get(META_PACKAGE)! },
    devDependencies: repoint(manifest.devDependencies),
    overrides,
  };
}
