// Graceful shutdown under load: 200 requests in flight on a 500 ms handler and open
// WebSockets, then SIGTERM: every request completes, new connections are refused, the
// WebSockets get 1001, and the process exits with status 0.
import { gracefulShutdown } from "../lib/shutdown";

it("finishes 200 in-flight requests, refuses new connections, closes WebSockets with 1001 and exits 0 on SIGTERM", async () => {
  const figures = await gracefulShutdown("tornado", { inFlight: 200, websockets: 3 });
  expect(figures.completed).toBe(200);
  expect(typeof figures.refusedAfterMs).toBe("number");
  expect(figures.webSocketCloses).toBe("1001,1001,1001");
  expect(figures.exitCode).toBe(0);
}, 60000);
