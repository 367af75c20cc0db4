/**
 * create-tornado: makes an app of your own outside this repository (TypeScript, ES modules,
 * source maps on, a handler, a template, a static file, a node:test test, start/dev/test
 * scripts) whose @tornado packages are tarballs packed from the workspace, until they are
 * published. A tool, not a layer: no @tornado package imports it.
 *
 * @example
 * // from the repository root: npx -y pnpm@10 create-app ../my-app
 * import { createApp } from "create-tornado";
 * const app = createApp({ directory: "../my-app" });
 * console.log(app.tarballs.map((tarball) => tarball.file));
 */
export { createApp, TEMPLATE_DIRECTORY } from "./create-app";
export type { CreateAppOptions, CreatedApp } from "./create-app";
export { appManifest, appName, tarballSpec, withTarballs, TARBALLS_FOLDER } from "./app-manifest";
export type { AppManifest } from "./app-manifest";
export { packPackages, pnpmCommand } from "./pack-packages";
export type { Tarball } from "./pack-packages";
export { findWorkspaceRoot, workspaceGlobs, workspacePackages } from "./workspace";
export type { WorkspacePackage } from "./workspace";
export { parseArguments, USAGE } from "./parse-arguments";
export {
  CREATE_TORNADO_ERROR_CODES,
  CreateArgumentError,
  PackError,
  TargetNotEmptyError,
  WorkspaceNotFoundError,
} from "./errors";
