/** The default ETag digest, with its small-body cache: always the SHA-1 of the body. */
import { createHash } from "node:crypto";
import { sha1Etag } from "../../src/output/etag";
const sha = (s: string | Buffer) => `"${createHash("sha1").update(s).digest("hex")}"`;
it("etag cache returns the same digests", () => {
  for (const body of ["", "a", "a", "b", "a", "x".repeat(5000), "x".repeat(5000)]) expect(sha1Etag([body])).toBe(sha(body));
  expect(sha1Etag([])).toBe(sha(""));
  expect(sha1Etag(["a", Buffer.from("b")])).toBe(sha("ab"));
  expect(sha1Etag([Buffer.from("zz")])).toBe(sha("zz"));
  expect(sha1Etag(["é"])).toBe(sha(Buffer.from("é")));
});
