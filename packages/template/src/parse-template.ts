/**
 * The template tokenizer and parser: source text to a tree of nodes. Follows Tornado's
 * template._parse rule for rule (tag detection, `{{!` escapes, error messages).
 */

import { filterWhitespace, isWhitespaceMode } from "./filter-whitespace";
import { parseModuleCall } from "./module-call";
import type { Clause, ControlNode, Node, ParsedFile } from "./nodes";
import type { TemplateReader } from "./template-reader";

/** Intermediate clauses and the blocks they may belong to (Tornado's intermediate_blocks). */
const INTERMEDIATE: Readonly<Record<string, readonly string[]>> = {
  else: ["if", "for", "while", "try"],
  elif: ["if"],
  except: ["try"],
  finally: ["try"],
};

function pythonSet(items: readonly string[]): string {
  return "{" + items.map((item) => `'${item}'`).join(", ") + "}";
}

function stripQuotes(value: string): string {
  // Python's suffix.strip('"').strip("'").
  return value.replace(/^"+|"+$/g, "").replace(/^'+|'+$/g, "");
}

type Stop = { kind: "end" } | { kind: "eof" } | { kind: "intermediate"; operator: string; suffix: string; line: number };

/**
 * Parses a template file. `file.autoescape` starts as the template's setting and is replaced
 * by any `{% autoescape %}` directive in the file.
 */
export function parseTemplate(reader: TemplateReader, file: ParsedFile): void {
  file.body = parseBody(reader, file, null, null).nodes;
}

function parseBody(
  reader: TemplateReader,
  file: ParsedFile,
  inBlock: string | null,
  inLoop: string | null,
): { nodes: Node[]; stop: Stop } {
  const nodes: Node[] = [];
  for (;;) {
    // Find the next tag: "{{", "{%" or "{#"; with three or more "{" use the innermost two.
    let curly = 0;
    for (;;) {
      curly = reader.find("{", curly);
      if (curly === -1 || curly + 1 === reader.remaining()) {
        if (inBlock) throw reader.parseError(`Missing {% end %} block for ${inBlock}`);
        const line = reader.line;
        const rest = reader.consume();
        if (rest) nodes.push({ kind: "text", value: rest, line, whitespace: reader.whitespace });
        return { nodes, stop: { kind: "eof" } };
      }
      const next = reader.at(curly + 1);
      if (next !== "{" && next !== "%" && next !== "#") {
        curly++;
        continue;
      }
      if (curly + 2 < reader.remaining() && next === "{" && reader.at(curly + 2) === "{") {
        curly++;
        continue;
      }
      break;
    }

    if (curly > 0) {
      const line = reader.line;
      nodes.push({ kind: "text", value: reader.consume(curly), line, whitespace: reader.whitespace });
    }

    const startBrace = reader.consume(2);
    const line = reader.line;

    // "{{!", "{%!" and "{#!" print the braces literally.
    if (reader.remaining() && reader.at(0) === "!") {
      reader.consume(1);
      nodes.push({ kind: "text", value: startBrace, line, whitespace: reader.whitespace });
      continue;
    }

    if (startBrace === "{#") {
      const end = reader.find("#}");
      if (end === -1) throw reader.parseError("Missing end comment #}");
      reader.consume(end);
      reader.consume(2);
      continue;
    }

    if (startBrace === "{{") {
      const end = reader.find("}}");
      if (end === -1) throw reader.parseError("Missing end expression }}");
      const contents = reader.consume(end).trim();
      reader.consume(2);
      if (!contents) throw reader.parseError("Empty expression");
      nodes.push({ kind: "expression", code: contents, line, raw: false });
      continue;
    }

    const end = reader.find("%}");
    if (end === -1) throw reader.parseError("Missing end block %}");
    const contents = reader.consume(end).trim();
    reader.consume(2);
    if (!contents) throw reader.parseError("Empty block tag ({% %})");

    const space = contents.indexOf(" ");
    const operator = space === -1 ? contents : contents.slice(0, space);
    const suffix = space === -1 ? "" : contents.slice(space + 1).trim();

    const allowedParents = INTERMEDIATE[operator];
    if (allowedParents !== undefined) {
      if (!inBlock) throw reader.parseError(`${operator} outside ${pythonSet(allowedParents)} block`);
      if (!allowedParents.includes(inBlock)) {
        throw reader.parseError(`${operator} block cannot be attached to ${inBlock} block`);
      }
      return { nodes, stop: { kind: "intermediate", operator, suffix, line } };
    }

    switch (operator) {
      case "end":
        if (!inBlock) throw reader.parseError("Extra {% end %} block");
        return { nodes, stop: { kind: "end" } };
      case "comment":
        continue;
      case "extends": {
        const name = stripQuotes(suffix);
        if (!name) throw reader.parseError("extends missing file path");
        nodes.push({ kind: "extends", name, line });
        continue;
      }
      case "include": {
        const name = stripQuotes(suffix);
        if (!name) throw reader.parseError("include missing file path");
        nodes.push({ kind: "include", name, line });
        continue;
      }
      case "import":
      case "from":
        throw reader.parseError(
          `{% ${operator} %} is Python-only and has no JavaScript meaning in a template: ` +
            "pass the modules or functions in the namespace instead " +
            "(template.generate({ name: value }) or the loader's namespace option)",
        );
      case "set":
        if (!suffix) throw reader.parseError("set missing statement");
        nodes.push({ kind: "set", code: suffix, line });
        continue;
      case "autoescape":
        file.autoescape = suffix === "None" || suffix === "null" || suffix === "" ? null : suffix;
        continue;
      case "whitespace":
        if (!isWhitespaceMode(suffix)) {
          throw reader.parseError(`invalid whitespace mode ${JSON.stringify(suffix)} (use all, single or oneline)`);
        }
        filterWhitespace(suffix, "");
        reader.whitespace = suffix;
        continue;
      case "raw":
        if (!suffix) throw reader.parseError("raw missing expression");
        nodes.push({ kind: "expression", code: suffix, line, raw: true });
        continue;
      case "module": {
        if (!suffix) throw reader.parseError("module missing expression");
        const call = parseModuleCall(suffix);
        if (typeof call === "string") throw reader.parseError(call);
        nodes.push({ kind: "module", name: call.name, rest: call.rest, code: suffix, line });
        continue;
      }
      case "break":
      case "continue":
        if (!inLoop) throw reader.parseError(`${operator} outside ${pythonSet(["for", "while"])} block`);
        nodes.push({ kind: operator, line });
        continue;
      case "apply": {
        // apply renders its body separately, so syntactically it is not inside a loop.
        const body = parseBody(reader, file, operator, null).nodes;
        if (!suffix) throw reader.parseError("apply missing method name");
        nodes.push({ kind: "apply", code: suffix, body, line });
        continue;
      }
      case "block": {
        const body = parseBody(reader, file, operator, inLoop).nodes;
        if (!suffix) throw reader.parseError("block missing name");
        nodes.push({ kind: "block", name: suffix, body, line, file });
        continue;
      }
      case "if":
      case "for":
      case "while":
      case "try":
        nodes.push(parseControl(reader, file, operator, suffix, line, inLoop));
        continue;
      default:
        throw reader.parseError(`unknown operator: '${operator}'`);
    }
  }
}

function parseControl(
  reader: TemplateReader,
  file: ParsedFile,
  operator: ControlNode["operator"],
  suffix: string,
  line: number,
  inLoop: string | null,
): ControlNode {
  const isLoop = operator === "for" || operator === "while";
  if (operator !== "try" && !suffix) throw reader.parseError(`${operator} missing condition`, line);
  const clauses: Clause[] = [];
  let clause: Clause = { operator, suffix, line, body: [] };
  for (;;) {
    // A loop's else clause runs after the loop: a break there belongs to an outer loop.
    const loop = isLoop && clauses.length === 0 ? operator : inLoop;
    const { nodes, stop } = parseBody(reader, file, operator, loop);
    clause.body = nodes;
    clauses.push(clause);
    if (stop.kind !== "intermediate") break;
    checkClauseOrder(reader, operator, clauses, stop.operator, stop.line);
    clause = { operator: stop.operator, suffix: stop.suffix, line: stop.line, body: [] };
  }
  if (operator === "try" && clauses.length === 1) {
    throw reader.parseError("try block needs an except or finally clause", line);
  }
  return { kind: "control", operator, clauses, line };
}

/** Orders Python would reject at compile time (else before elif, except after finally...). */
function checkClauseOrder(
  reader: TemplateReader,
  operator: string,
  clauses: readonly Clause[],
  next: string,
  line: number,
): void {
  const seen = clauses.map((clause) => clause.operator);
  const last = seen[seen.length - 1];
  if (last === "finally" || (last === "else" && operator !== "try") || (last === "else" && next !== "finally")) {
    throw reader.parseError(`${next} block cannot follow ${last} in ${operator} block`, line);
  }
  if (operator === "try") {
    if (next === "else" && !seen.includes("except")) {
      throw reader.parseError("else block in try needs an except block before it", line);
    }
    if (next === "except" && seen.includes("else")) {
      throw reader.parseError("except block cannot follow else in try block", line);
    }
  }
  if (next === "else" && seen.includes("else")) throw reader.parseError("duplicate else block", line);
}
