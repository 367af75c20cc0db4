/**
 * The README stays true: its example runs as written and prints what it says (with a
 * LocalBroker, and with a RedisBroker against a real redis-server), its Errors table lists
 * every error code of the package, and its API table every export.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import * as pubsub from "@tornado/pubsub";
import { describeWithRedisServer, startRedisServer, type RedisServer } from "@tornado/testing";

const README = readFileSync(join(__dirname, "..", "README.md"), "utf8");

function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no "## ${title}" section`);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** Runs the Example with `REDIS_URL` as given; resolves with what it printed. */
async function runExample(redisUrl: string | undefined): Promise<unknown[][]> {
  const example = /```ts\n([\s\S]*?)```/.exec(section("Example"))![1]!;
  expect(example.split("\n").filter((line) => line.trim()).length).toBeLessThanOrEqual(10);
  const body = example
    .replace(/import \{([^}]*)\} from "@tornado\/pubsub";/, "const {$1} = pubsub;")
    .replace(/process\.env\.REDIS_URL/g, "env.REDIS_URL")
    .replace(/console\.log\(/g, "print(");
  expect(body).not.toContain("import ");
  const js = ts.transpileModule(`async function example() {\n${body}\n}`, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  const printed: unknown[][] = [];
  const run = new Function("pubsub", "env", "print", `${js}\nreturn example();`) as (...args: unknown[]) => Promise<void>;
  await run(pubsub, { REDIS_URL: redisUrl }, (...values: unknown[]) => printed.push(values));
  return printed;
}

describe("README", () => {
  it("lists every error code in the Errors table, and no others", () => {
    const listed = new Set(section("Errors").match(/TORNADO_ERR_[A-Z_]+/g));
    const defined = new Set<string>(Object.values(pubsub.PUBSUB_ERROR_CODES));
    expect([...defined].filter((code) => !listed.has(code))).toEqual([]);
    expect([...listed].filter((code) => !defined.has(code))).toEqual([]);
  });

  it("names every export in the API table", () => {
    const api = section("API");
    for (const name of Object.keys(pubsub)) {
      expect({ name, listed: new RegExp(`\`(new )?${name}\\b`).test(api) }).toEqual({ name, listed: true });
    }
  });

  it("runs the example with a LocalBroker", async () => {
    expect(await runExample(undefined)).toEqual([["hello", true]]);
  });
});

describeWithRedisServer("README with Redis", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis.stop());

  it("runs the example with a RedisBroker", async () => {
    expect(await runExample(redis.url)).toEqual([["hello", true]]);
  });
});
