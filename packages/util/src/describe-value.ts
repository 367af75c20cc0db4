/**
 * A short description of a bad value for an error message, so that "must be a function, got
 * ..." says what arrived: `NaN`, `"5"`, `null`, `an array`, `an object (Map)`.
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case "number":
    case "bigint":
    case "boolean":
      return String(value);
    case "string":
      return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "..." : value);
    case "undefined":
      return "undefined";
    case "function":
      return "a function";
    case "symbol":
      return value.toString();
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const constructorName = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof constructorName === "string" && constructorName !== "Object"
    ? `an object (${constructorName})`
    : "an object";
}
