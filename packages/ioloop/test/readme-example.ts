import * as ioloop from "@tornado/ioloop";
import ts from "typescript";

/** A README example: its ```ts code and the ```text output it says it prints. */
export interface ReadmeExample {
  code: string;
  expected: string;
}

/** Takes the first ```ts block and the first ```text block of a README section. */
export function readmeExample(section: string): ReadmeExample {
  return {
    code: /```ts\n([\s\S]*?)```/.exec(section)![1]!,
    expected: /```text\n([\s\S]*?)```/.exec(section)![1]!,
  };
}

/**
 * Runs a README example against the package's source (its `import` from "@tornado/ioloop"
 * rebound to this package, top-level await allowed) and returns what it printed.
 */
export async function runReadmeExample(code: string): Promise<string> {
  const body = code.replace(
    /import \{([^}]*)\} from "@tornado\/ioloop";/,
    (_match, names: string) => `const {${names}} = ioloop;`,
  );
  const js = ts.transpileModule(body, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  const lines: string[] = [];
  const capture = { log: (...values: unknown[]) => lines.push(values.join(" ")) };
  const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<void>;
  await new AsyncFunction("ioloop", "console", js)(ioloop, capture);
  return lines.join("\n") + "\n";
}
