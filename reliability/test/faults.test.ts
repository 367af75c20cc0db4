// Handler faults: the client gets a response or a close, the error is logged once, and the
// server goes on. The timer case (write() after finish() from a setTimeout) escapes every
// handler's chain: the process policy of @tornado/ioloop (installed by Application.listen)
// logs it on tornado.application and keeps serving; the test is skipped, saying so, without it.
import * as ioloop from "@tornado/ioloop";
import { startServer } from "../lib/harness";
import { FAULTS, fault } from "../lib/faults";

const hasProcessPolicy = typeof (ioloop as Record<string, unknown>).installProcessPolicy === "function";

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer("tornado");
});
afterAll(() => server.stop());

for (const [path, wanted, logged] of FAULTS) {
  const needsPolicy = path === "/faults/after-finish-timer";
  const title = `${path}: ${wanted === "none" ? "no answer, no error, the client may leave" : `answered ${wanted}`}, logged ${logged === null ? "never" : "once"}, the server goes on`;
  (needsPolicy && !hasProcessPolicy ? it.skip : it)(needsPolicy && !hasProcessPolicy ? `${title} (skipped: needs the process policy of issue 17, not on this branch)` : title, async () => {
    const result = await fault(server, path);
    expect(result.alive).toBe(true);
    expect(result.healthy).toBe(true);
    expect(result.status).toBe(wanted);
    if (logged === null) {
      expect(result.errors).toEqual([]);
    } else {
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(logged);
    }
  });
}
