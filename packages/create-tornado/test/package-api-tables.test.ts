// Every public package's README documents its src/index.ts: each exported name appears
// backticked in the README's API section (from "## API" to "## Errors"), or, for an error class
// or the code table, in its Errors section; and the API tables' "Export" column names nothing
// that index.ts does not export. Members are written in those columns too (`app.listen(...)`,
// `prepare()`), so the reverse check reads only the names that can be nothing but exports: a
// capitalised name or a constant (`Application`, `new Lock()`, `IOLoop.current()`, `MAX_X`).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { workspacePackages } from "create-tornado";

const REPO_ROOT = join(__dirname, "..", "..", "..");

/** The names src/index.ts exports; `export * from` (the meta-package's flat names) is skipped. */
function exportedNames(indexFile: string): string[] {
  const source = ts.createSourceFile(indexFile, readFileSync(indexFile, "utf8"), ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (clause === undefined) continue;
      if (ts.isNamespaceExport(clause)) names.push(clause.name.text);
      else for (const element of clause.elements) names.push(element.name.text);
    } else if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) names.push(declaration.name.getText(source));
      } else {
        const name = (statement as ts.DeclarationStatement).name;
        if (name !== undefined) names.push(name.getText(source));
      }
    }
  }
  return names;
}

/** The text of the `## <title>` section up to the next `## <until>` heading, code blocks removed. */
function section(readme: string, title: string, until: RegExp | null): string {
  const start = readme.search(new RegExp(`^## ${title}\\b`, "m"));
  if (start < 0) return "";
  const rest = readme.slice(start + 1);
  const end = until === null ? rest.search(/^## /m) : rest.search(until);
  return (end < 0 ? rest : rest.slice(0, end)).replace(/^```[^\n]*\n[\s\S]*?^```/gm, "");
}

function backtickedIdentifiers(text: string): Set<string> {
  return new Set([...text.matchAll(/`([^`\n]+)`/g)].flatMap((match) => match[1]!.match(/[A-Za-z_$][\w$]*/g) ?? []));
}

/** Names in the first column of the tables whose first header is "Export". */
function exportColumnNames(api: string): string[] {
  const names: string[] = [];
  let inExportTable: boolean | null = null;
  for (const line of api.split("\n")) {
    if (!line.startsWith("|")) {
      inExportTable = null;
      continue;
    }
    const cell = line.split("|")[1]!.trim();
    if (inExportTable === null) inExportTable = /^export$/i.test(cell);
    else if (inExportTable && !/^:?-+/.test(cell)) {
      for (const match of cell.matchAll(/`([^`\n]+)`/g)) {
        const name = /^(?:new\s+|class\s+)?([A-Za-z_$][\w$]*)/.exec(match[1]!)?.[1];
        if (name !== undefined) names.push(name);
      }
    }
  }
  return names;
}

const packages = workspacePackages(REPO_ROOT).map((item) => {
  const readme = readFileSync(join(item.directory, "README.md"), "utf8");
  return {
    name: item.name,
    exports: exportedNames(join(item.directory, "src", "index.ts")),
    api: section(readme, "API", /^## Errors\b/m),
    errors: section(readme, "Errors", null),
  };
});

describe("package README API tables", () => {
  it("cover the core packages", () => {
    expect(packages.map((entry) => entry.name)).toEqual(expect.arrayContaining(["@tornado/util", "@tornado/web", "@tornado/ioloop"]));
  });

  it.each(packages.map((entry) => entry.name))("%s: every export of src/index.ts is in the README's API (or Errors) section", (name) => {
    const entry = packages.find((item) => item.name === name)!;
    const documented = backtickedIdentifiers(entry.api);
    const inErrors = backtickedIdentifiers(entry.errors);
    const isErrorExport = (exported: string): boolean => /(Error|_ERROR_CODES)$/.test(exported) && inErrors.has(exported);
    expect({ name, undocumented: entry.exports.filter((exported) => !documented.has(exported) && !isErrorExport(exported)) }).toEqual({
      name,
      undocumented: [],
    });
  });

  it.each(packages.map((entry) => entry.name))("%s: the API tables' Export column names only exports", (name) => {
    const entry = packages.find((item) => item.name === name)!;
    const exported = new Set(entry.exports);
    const onlyExports = exportColumnNames(entry.api).filter((candidate) => /^[A-Z]/.test(candidate));
    expect({ name, notExported: [...new Set(onlyExports.filter((candidate) => !exported.has(candidate)))] }).toEqual({ name, notExported: [] });
  });
});
