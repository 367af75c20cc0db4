import { RESOLVED } from "../src";
import { RESOLVED as fromModule } from "../src/resolved";

describe("RESOLVED", () => {
  it("is one settled Promise<void>, the same object on every import", async () => {
    await expect(RESOLVED).resolves.toBeUndefined();
    expect(fromModule).toBe(RESOLVED);
  });
});
