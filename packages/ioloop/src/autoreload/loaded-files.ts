/**
 * The source files this process has loaded: CommonJS modules from require.cache, and ES
 * modules (which Node lists nowhere) from the scripts V8 reports to an inspector session.
 * Internal to autoreload.
 */

import { fileURLToPath } from "node:url";

type InspectorModule = typeof import("node:inspector");

let inspector: InspectorModule | null | undefined;

function loadInspector(): InspectorModule | null {
  if (inspector === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional: a Node built without the inspector
      inspector = require("node:inspector") as InspectorModule;
    } catch {
      inspector = null; // a Node built without the inspector: CommonJS files only
    }
  }
  return inspector;
}

/**
 * Every script V8 has compiled from a file, ES modules included: enabling the debugger in
 * an in-process session replays a `scriptParsed` event per script (a few milliseconds once
 * warm), and it is disabled again at once.
 */
function compiledFiles(): string[] {
  const api = loadInspector();
  if (api === null) return [];
  const files: string[] = [];
  const session = new api.Session();
  try {
    session.connect();
    session.on("Debugger.scriptParsed", (message) => {
      const url = message.params.url;
      if (url.startsWith("file://")) files.push(fileURLToPath(url));
      else if (url.startsWith("/")) files.push(url);
    });
    session.post("Debugger.enable");
    session.post("Debugger.disable");
  } catch {
    // Another debugger owns the session: fall back to what require.cache knows.
  } finally {
    session.disconnect();
  }
  return files;
}

/** require.cache's files: cheap, read on every check. */
export function requiredFiles(): string[] {
  return Object.keys(require.cache).filter((file) => file.startsWith("/") || /^[A-Za-z]:\\/.test(file));
}

/** Both lists; the inspector's is the costly part, so callers take it now and then. */
export function loadedFiles(): Set<string> {
  return new Set([...requiredFiles(), ...compiledFiles()]);
}
