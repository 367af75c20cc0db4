/**
 * The parsed form of a template file (Tornado's _Node subclasses), produced by parseTemplate
 * and turned into JavaScript by generateCode. Lines are 1-based lines of the file.
 */

import type { WhitespaceMode } from "./filter-whitespace";

/** Text between tags, with the whitespace mode in force where it appeared. */
export interface TextNode { kind: "text"; value: string; line: number; whitespace: WhitespaceMode }
/** `{{ expr }}` (raw false) or `{% raw expr %}` (raw true). */
export interface ExpressionNode { kind: "expression"; code: string; line: number; raw: boolean }
/** `{% module Name(args) %}`: `_tt_modules.Name(args)`, unescaped; `rest` has keyword arguments rewritten (module-call.ts). */
export interface ModuleNode { kind: "module"; name: string; rest: string; code: string; line: number }
/** `{% set ... %}`. */
export interface SetNode { kind: "set"; code: string; line: number }
/** `{% break %}` / `{% continue %}`. */
export interface LoopControlNode { kind: "break" | "continue"; line: number }
/** `{% extends "name" %}`: only its presence at the top level matters. */
export interface ExtendsNode { kind: "extends"; name: string; line: number }
/** `{% include "name" %}`. */
export interface IncludeNode { kind: "include"; name: string; line: number }
/** `{% block name %}...{% end %}`. */
export interface BlockNode { kind: "block"; name: string; body: Node[]; line: number; file: ParsedFile }
/** `{% apply fn %}...{% end %}`. */
export interface ApplyNode { kind: "apply"; code: string; body: Node[]; line: number }
/** One clause of a control block: `if c`, `elif c`, `else`, `except E`, `finally`, `for ...`, `while c`, `try`. */
export interface Clause { operator: string; suffix: string; line: number; body: Node[] }
/** `{% if/for/while/try %}` with its intermediate clauses. */
export interface ControlNode { kind: "control"; operator: "if" | "for" | "while" | "try"; clauses: Clause[]; line: number }

export type Node =
  | TextNode
  | ExpressionNode
  | ModuleNode
  | SetNode
  | LoopControlNode
  | ExtendsNode
  | IncludeNode
  | BlockNode
  | ApplyNode
  | ControlNode;

/** One parsed template file. `autoescape` is the file's final setting (a directive anywhere wins). */
export interface ParsedFile {
  name: string;
  /** The template's text, to quote in errors. */
  source: string;
  body: Node[];
  autoescape: string | null;
  /** The template the file belongs to (includes inside it load relative to it). */
  owner: CompilableTemplate;
}

/** What code generation needs from a template (implemented by Template). */
export interface CompilableTemplate {
  readonly name: string;
  readonly file: ParsedFile;
  /** The template and the templates it extends, leaf first. */
  ancestors(): CompilableTemplate[];
  /** Loads a template named relative to this one (include, extends). */
  loadRelative(name: string, line: number): CompilableTemplate;
}
