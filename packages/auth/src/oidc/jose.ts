/**
 * jose, required on first use: only an OpenID Connect login needs it, and loading it costs
 * every process that loads this package (the meta-package included) start-up time. jose 6 is
 * an ES module; Node 20.19 and later `require` it.
 */

type Jose = typeof import("jose");

let loaded: Jose | undefined;

export function jose(): Jose {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, only by an application that verifies ID tokens
  loaded ??= require("jose") as Jose;
  return loaded;
}
