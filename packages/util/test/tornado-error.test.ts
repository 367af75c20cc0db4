// TornadoError: the code a class declares, the class name, and instanceof across copies of a
// package (a second copy is the same module loaded again in an isolated registry).
import { TornadoError, TornadoRangeError, TornadoTypeError, isTornadoError } from "@tornado/util";

type ErrorModule = typeof import("../src/tornado-error");

function loadSecondCopy(): ErrorModule {
  let copy: ErrorModule | undefined;
  jest.isolateModules(() => {
    copy = require("../src/tornado-error") as ErrorModule;
  });
  return copy!;
}

function declareClasses(module: ErrorModule) {
  // A class that others extend types its static code as string, so subclasses may declare theirs.
  class PoolClosedError<Code extends string = "TEST_ERR_POOL_CLOSED"> extends module.TornadoError<Code> {
    static override readonly code: string = "TEST_ERR_POOL_CLOSED";
  }
  class PoolDrainedError extends PoolClosedError<"TEST_ERR_POOL_DRAINED"> {
    static override readonly code = "TEST_ERR_POOL_DRAINED";
  }
  class BadSizeError extends module.TornadoRangeError<"TEST_ERR_BAD_SIZE"> {
    static override readonly code = "TEST_ERR_BAD_SIZE";
  }
  return { PoolClosedError, PoolDrainedError, BadSizeError };
}

describe("TornadoError", () => {
  const mine = declareClasses({ TornadoError, TornadoTypeError, TornadoRangeError, isTornadoError });

  it("carries the declared code, the class name and the message", () => {
    const error = new mine.PoolClosedError("pool is closed", { cause: new Error("why") });
    expect(error.code).toBe("TEST_ERR_POOL_CLOSED");
    expect(error.name).toBe("PoolClosedError");
    expect(error.message).toBe("pool is closed");
    expect((error.cause as Error).message).toBe("why");
    expect(String(error)).toBe("PoolClosedError: pool is closed");
    expect(error.stack!.split("\n")[0]).toBe("PoolClosedError: pool is closed");
  });

  it("keeps the native kinds: a TornadoRangeError is a RangeError and a TornadoError", () => {
    const error = new mine.BadSizeError("size must be positive");
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toBeInstanceOf(TornadoRangeError);
    expect(error).toBeInstanceOf(TornadoError);
    expect(isTornadoError(error)).toBe(true);
    expect(new TypeError("x")).not.toBeInstanceOf(TornadoError);
    expect(isTornadoError(new Error("x"))).toBe(false);
    expect(isTornadoError(null)).toBe(false);
  });

  it("a subclass is an instance of its parent, not the other way round", () => {
    const drained = new mine.PoolDrainedError("drained");
    expect(drained.code).toBe("TEST_ERR_POOL_DRAINED");
    expect(drained).toBeInstanceOf(mine.PoolClosedError);
    expect(new mine.PoolClosedError("closed")).not.toBeInstanceOf(mine.PoolDrainedError);
  });

  it("a user's subclass without a code of its own inherits the code and the ordinary check", () => {
    class MyPoolError extends mine.PoolClosedError {}
    const error = new MyPoolError("mine");
    expect(error.code).toBe("TEST_ERR_POOL_CLOSED");
    expect(error.name).toBe("MyPoolError");
    expect(error).toBeInstanceOf(MyPoolError);
    expect(error).toBeInstanceOf(mine.PoolClosedError);
    expect(new mine.PoolClosedError("other")).not.toBeInstanceOf(MyPoolError);
  });

  it("instanceof holds across two copies of the package", () => {
    const copy = loadSecondCopy();
    expect(copy.TornadoError).not.toBe(TornadoError);
    const theirs = declareClasses(copy);
    expect(theirs.PoolClosedError).not.toBe(mine.PoolClosedError);
    expect(new theirs.PoolClosedError("x")).toBeInstanceOf(mine.PoolClosedError);
    expect(new theirs.PoolDrainedError("x")).toBeInstanceOf(mine.PoolClosedError);
    expect(new mine.PoolClosedError("x")).toBeInstanceOf(theirs.PoolClosedError);
    expect(new theirs.BadSizeError("x")).toBeInstanceOf(TornadoError);
    expect(new theirs.BadSizeError("x")).not.toBeInstanceOf(mine.PoolClosedError);
    expect(new Error("x")).not.toBeInstanceOf(mine.PoolClosedError);
  });

  it("recognises the registry-wide brand that earlier releases put on their prototypes", () => {
    const foreign = Object.create({ [Symbol.for("tornado.error.TEST_ERR_POOL_CLOSED")]: true });
    expect(foreign instanceof mine.PoolClosedError).toBe(true);
    expect(foreign instanceof mine.PoolDrainedError).toBe(false);
  });

  it("a class that declares no code cannot be constructed", () => {
    class NoCode extends TornadoError {}
    expect(() => new NoCode("x")).toThrow(
      "NoCode must declare a static code",
    );
  });
});
