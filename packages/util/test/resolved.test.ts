import { RESOLVED } from "../src";
import { RESOLVED as fromModule } from "../src/resolved";

describe("RESOLVED", () => {
  it("is one settled Promise<void>, the same object on every import", async () => {
    await expect(RESOLVED).resolves.toBeUndefined();
    expect(fromModule).toBe(RESOLVED);
  });

  it("runs a then() callback after the current job, as any settled Promise does", async () => {
    const order: string[] = [];
    const done = RESOLVED.then(() => order.push("then"));
    order.push("sync");
    await done;
    expect(order).toEqual(["sync", "then"]);
  });
});
