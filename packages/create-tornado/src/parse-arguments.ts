/** The command line of create-tornado. */

import { CreateArgumentError } from "./errors";

export const USAGE = "usage: create-tornado <folder> [--update]   (from the repository: npx -y pnpm@10 create-app <folder>)";

/** Parses argv (without node and the script): the folder and the flags. */
export function parseArguments(argv: readonly string[]): { directory: string; update: boolean } {
  const flags = argv.filter((arg) => arg.startsWith("-"));
  const positional = argv.filter((arg) => !arg.startsWith("-"));
  const unknown = flags.filter((flag) => flag !== "--update");
  if (unknown.length > 0) throw new CreateArgumentError(`unknown option ${unknown[0]}\n${USAGE}`);
  if (positional.length !== 1) throw new CreateArgumentError(`give exactly one folder\n${USAGE}`);
  return { directory: positional[0]!, update: flags.includes("--update") };
}
