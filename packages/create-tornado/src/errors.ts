/**
 * The errors of create-tornado. Each carries a stable `code` and works with `instanceof`
 * across copies of the package (TornadoError from @tornado/util).
 */

import { TornadoError, TornadoTypeError } from "@tornado/util";

/** Error codes of this package, stable across releases. */
export const CREATE_TORNADO_ERROR_CODES = {
  CreateArgumentError: "TORNADO_ERR_CREATE_BAD_ARGUMENT",
  TargetNotEmptyError: "TORNADO_ERR_CREATE_TARGET_NOT_EMPTY",
  WorkspaceNotFoundError: "TORNADO_ERR_CREATE_NO_WORKSPACE",
  PackError: "TORNADO_ERR_CREATE_PACK",
} as const;

/** A bad command line or option: no folder, an unknown flag, a folder name npm refuses. */
export class CreateArgumentError extends TornadoTypeError<typeof CREATE_TORNADO_ERROR_CODES.CreateArgumentError> {
  static override readonly code = CREATE_TORNADO_ERROR_CODES.CreateArgumentError;
}

/** The target folder exists and is not empty (and `update` was not asked for). */
export class TargetNotEmptyError extends TornadoError<typeof CREATE_TORNADO_ERROR_CODES.TargetNotEmptyError> {
  static override readonly code = CREATE_TORNADO_ERROR_CODES.TargetNotEmptyError;
  /** The folder, absolute. */
  readonly directory: string;

  constructor(directory: string) {
    super(`${directory} exists and is not empty: choose a new folder, or pass --update to refresh the tarballs of an app made by create-tornado`);
    this.directory = directory;
  }
}

/**
 * No pnpm workspace of this repository was found above the scaffold: until the packages are
 * published, create-tornado packs them from a clone of the repository.
 */
export class WorkspaceNotFoundError extends TornadoError<typeof CREATE_TORNADO_ERROR_CODES.WorkspaceNotFoundError> {
  static override readonly code = CREATE_TORNADO_ERROR_CODES.WorkspaceNotFoundError;
}

/** A package could not be packed: it is not built (no dist/), or `pnpm pack` failed. */
export class PackError extends TornadoError<typeof CREATE_TORNADO_ERROR_CODES.PackError> {
  static override readonly code = CREATE_TORNADO_ERROR_CODES.PackError;
}
