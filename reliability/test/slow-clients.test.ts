// 1,000 slow clients (half trickling a head, half a body, a byte every 200 ms) against short
// timeouts (2 s each, set through options so that CI stays quick): every one is answered 408
// and closed by the server, and a normal client keeps being served meanwhile.
import { slowClients } from "../lib/slow-clients";

it("closes 1,000 slow heads and bodies by headersTimeout and bodyTimeout, answering 408, while a normal client is served", async () => {
  const figures = await slowClients("tornado", { connections: 1000, headersTimeout: 2, bodyTimeout: 2, byteEveryMs: 200 });
  expect(figures.closedByServer).toBe(1000);
  expect(figures.answered408).toBe(1000);
  // Closed by the timeouts, not by the end of the attack (which never ends by itself).
  expect(figures.longestOpenSeconds).toBeLessThan(2 + 2 + 10);
  // The normal client never waited on the attack (its p99 stays far under the timeouts).
  expect(figures.p99DuringMs).toBeLessThan(2000);
}, 120000);
