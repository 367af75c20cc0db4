import { randomBytes } from "node:crypto";
import { ORIGIN_LENGTH } from "./envelope";

/** A broker's id: 16 random bytes, so that two processes never share one. */
export function randomOrigin(): Buffer {
  return randomBytes(ORIGIN_LENGTH);
}
