// Keeps the README true: its Errors table lists every code of IOLOOP_ERROR_CODES (and no
// other), it documents the event-loop exports, and its Example prints what it says it prints.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ioloop from "@tornado/ioloop";
import { readmeExample, runReadmeExample } from "./readme-example";

const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");

function section(heading: string): string {
  return readme.split(`\n## ${heading}\n`)[1]!.split("\n## ")[0]!;
}

describe("README", () => {
  test("the Errors table lists every error code", () => {
    const table = section("Errors");
    const listed = [...table.matchAll(/`(TORNADO_ERR_[A-Z_]+)`/g)].map((match) => match[1]);
    expect(listed.sort()).toEqual(Object.values(ioloop.IOLOOP_ERROR_CODES).sort());
    for (const name of Object.keys(ioloop.IOLOOP_ERROR_CODES)) expect(table).toContain(`\`${name}\``);
  });

  test("the README names every export of index.ts (and every autoreload function)", () => {
    const runtime = Object.keys(ioloop).filter((name) => name !== "autoreload");
    const autoreloadNames = Object.keys(ioloop.autoreload).map((name) => `autoreload.${name}`);
    const missing = [...runtime, ...autoreloadNames].filter((name) => !new RegExp(`\`(new |@)?${name.replace(".", "\\.")}\\b`).test(readme));
    expect(missing).toEqual([]);
  });

  test("the Example prints what the README says", async () => {
    const example = section("Example");
    const { code, expected } = readmeExample(example);
    expect(await runReadmeExample(code)).toBe(expected);
    expect(code.split("\n").filter(Boolean).length).toBeLessThanOrEqual(10);
  });
});
