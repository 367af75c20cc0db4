/**
 * Where a log call came from, for LogFormatter's `%(module)s:%(lineno)d`. Internal to log.
 */

let wanted = false;

/**
 * Called by a LogFormatter that shows `module` or `lineno`: from then on records carry their
 * call site. Capturing one costs a few microseconds (more than formatting the line), so a
 * program whose formats do not show it does not pay for it. Internal.
 */
export function wantCallSites(): void {
  wanted = true;
}

/** Whether records capture their call site. */
export function callSitesWanted(): boolean {
  return wanted;
}

/** What a record carries when no call site is captured. */
export const NO_SITE: [string, number] = ["", 0];

const structuredFrames = (_error: Error, frames: NodeJS.CallSite[]): NodeJS.CallSite[] => frames;

/**
 * The file and line that called the logger (the first frame below `below` outside `ownFile`), as V8's structured frames (no stack text is
 * formatted: that would cost more than the rest of the log line). Python: findCaller.
 */
export function callSite(below: (...args: never[]) => unknown, ownFile: string): [file: string, line: number] {
  const holder: { stack?: NodeJS.CallSite[] } = {};
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  // The level method (info, warning...) and its caller, or the caller of log() itself.
  Error.stackTraceLimit = 2;
  Error.prepareStackTrace = structuredFrames;
  Error.captureStackTrace(holder, below);
  const frames = holder.stack ?? [];
  Error.stackTraceLimit = limit;
  Error.prepareStackTrace = prepare;
  for (const frame of frames) {
    const file = frame.getFileName() ?? "";
    if (file !== ownFile) return [file, frame.getLineNumber() ?? 0];
  }
  return ["", 0];
}

