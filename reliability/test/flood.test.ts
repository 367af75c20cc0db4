// 10,000 concurrent connections opened in batches of 500, three times: every one is accepted,
// the server answers meanwhile, its file descriptors go back to where they were, and after a
// full GC its RSS is flat from one flood to the next (no per-connection leak; the allocator
// keeps what the first flood took, as node:http's does, so RSS does not fall back to the start).
import { flood } from "../lib/flood";

it("holds 10,000 connections, answers meanwhile, and releases them (fds back, RSS flat across three floods)", async () => {
  const figures = await flood("tornado", { total: 10000, batch: 500, rounds: 3 });
  expect(figures.round1Refused).toBe(0);
  expect(figures.round2Refused).toBe(0);
  expect(figures.round1Connections).toBe(Math.min(10000, figures.fileLimit - 1000));
  expect(figures.round1FdsAfter).toBeLessThanOrEqual(figures.fdsBefore + 2);
  expect(figures.round3Refused).toBe(0);
  expect(figures.round2FdsAfter).toBeLessThanOrEqual(figures.fdsBefore + 2);
  expect(figures.round3FdsAfter).toBeLessThanOrEqual(figures.fdsBefore + 2);
  // A leak of a few KiB per connection would add tens of MiB per flood.
  expect(figures.round3RssAfterMiB).toBeLessThan(figures.round1RssAfterMiB + 16);
}, 180000);
