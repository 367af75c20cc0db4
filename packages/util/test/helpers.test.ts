import { describeValue, isThenable } from "@tornado/util";

describe("describeValue", () => {
  it.each([
    [NaN, "NaN"],
    [5, "5"],
    [10n, "10"],
    [true, "true"],
    ["5", '"5"'],
    ["x".repeat(50), JSON.stringify("x".repeat(40) + "...")],
    [null, "null"],
    [undefined, "undefined"],
    [() => 1, "a function"],
    [Symbol("s"), "Symbol(s)"],
    [[1, 2], "an array"],
    [{ a: 1 }, "an object"],
    [Object.create(null), "an object"],
    [new Map(), "an object (Map)"],
  ])("%p -> %s", (value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });
});

describe("isThenable", () => {
  it("is true for Promises and objects or functions with a then method", () => {
    expect(isThenable(Promise.resolve(1))).toBe(true);
    expect(isThenable({ then: () => undefined })).toBe(true);
    const fn = Object.assign(() => 1, { then: () => undefined });
    expect(isThenable(fn)).toBe(true);
  });

  it("is false for everything else", () => {
    expect(isThenable(undefined)).toBe(false);
    expect(isThenable(null)).toBe(false);
    expect(isThenable("then")).toBe(false);
    expect(isThenable({ then: 1 })).toBe(false);
    expect(isThenable(() => 1)).toBe(false);
  });
});
