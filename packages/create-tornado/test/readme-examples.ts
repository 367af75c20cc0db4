// The "## Example" of a package README: its first ```ts or ```js block, and the ```text block
// after "prints" when the README says what it prints.

export interface ReadmeExample {
  readonly language: "ts" | "js";
  readonly code: string;
  /** What it prints, or null: then it serves HTTP (on the port it names) until stopped. */
  readonly expected: string | null;
}

export function readmeExample(readme: string): ReadmeExample | null {
  const section = readme.split(/^## Example\s*$/m)[1]?.split(/^## /m)[0];
  if (section === undefined) return null;
  const block = /```(ts|js)\n([\s\S]*?)```/.exec(section);
  if (block === null) return null;
  const after = section.slice(block.index + block[0].length);
  const prints = /^prints\b[^\n]*\n+```text\n([\s\S]*?)```/m.exec(after);
  return { language: block[1] as "ts" | "js", code: block[2]!, expected: prints ? prints[1]! : null };
}
