import {
  ArgumentRangeError,
  ArgumentTypeError,
  TornadoError,
  checkCallback,
  checkFinite,
  checkNonNegative,
  checkNonNegativeInteger,
  checkPositive,
  checkPositiveInteger,
} from "@tornado/util";

describe("argument checks", () => {
  it("checkCallback names the argument and the value", () => {
    expect(() => checkCallback(() => 1)).not.toThrow();
    expect(() => checkCallback(5, "onClose")).toThrow(new ArgumentTypeError("onClose must be a function, got 5"));
    expect(() => checkCallback(null)).toThrow("callback must be a function, got null");
  });

  it("checkFinite: TypeError for a non-number, RangeError for NaN and infinities", () => {
    expect(() => checkFinite(1.5, "delay")).not.toThrow();
    expect(() => checkFinite("1", "delay")).toThrow(TypeError);
    expect(() => checkFinite("1", "delay")).toThrow('delay must be a finite number of seconds, got "1"');
    expect(() => checkFinite(NaN, "delay")).toThrow(RangeError);
    expect(() => checkFinite(Infinity, "period", "milliseconds")).toThrow(
      "period must be a finite number of milliseconds, got Infinity",
    );
  });

  it("checkNonNegative and checkPositive", () => {
    expect(() => checkNonNegative(0, "timeout")).not.toThrow();
    expect(() => checkNonNegative(-1, "timeout")).toThrow("timeout must be a non-negative number of seconds, got -1");
    expect(() => checkPositive(0.001, "interval")).not.toThrow();
    expect(() => checkPositive(0, "interval")).toThrow(ArgumentRangeError);
    expect(() => checkPositive(0, "interval")).toThrow("interval must be a positive number of seconds, got 0");
  });

  it("integer checks refuse fractions, unsafe integers and the wrong sign", () => {
    expect(() => checkPositiveInteger(1, "maxBodySize")).not.toThrow();
    expect(() => checkPositiveInteger(0, "maxBodySize")).toThrow(
      "maxBodySize must be a positive integer of bytes, got 0",
    );
    expect(() => checkPositiveInteger(1.5, "maxBodySize")).toThrow(RangeError);
    expect(() => checkPositiveInteger(2 ** 60, "maxBodySize")).toThrow(RangeError);
    expect(() => checkPositiveInteger("5", "maxFields", "fields")).toThrow(
      'maxFields must be a positive integer of fields, got "5"',
    );
    expect(() => checkNonNegativeInteger(0, "backlog", "connections")).not.toThrow();
    expect(() => checkNonNegativeInteger(-1, "backlog", "connections")).toThrow(ArgumentRangeError);
  });

  it("the errors are coded TornadoErrors", () => {
    try {
      checkFinite(NaN, "delay");
      throw new Error("checkFinite(NaN) did not throw");
    } catch (error) {
      expect(error).toBeInstanceOf(TornadoError);
      expect((error as ArgumentRangeError).code).toBe("TORNADO_ERR_ARGUMENT_RANGE");
    }
  });
});
