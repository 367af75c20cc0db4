// A short soak (15 s in CI; 60 s with `node run.js soak --long`, which `pnpm bench` runs):
// RSS stays flat after the warm-up under steady load.
import { soak } from "../lib/soak";

it("keeps RSS flat after warm-up under 15 s of keep-alive load", async () => {
  const figures = await soak("tornado", { seconds: 15, connections: 16 });
  expect(figures.requests).toBeGreaterThan(0);
  expect(figures.rssGrowthMiB).toBeLessThan(8);
}, 60000);
