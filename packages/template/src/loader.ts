/**
 * Templates from a directory. Tornado: template.Loader.
 */

import { readFileSync } from "node:fs";
import * as path from "node:path";
import { BaseLoader, type LoaderOptions } from "./base-loader";
import { TemplateArgumentError, TemplateNotFoundError } from "./errors";
import { Template } from "./template";

/**
 * Loads templates from files under `root` (read as UTF-8 once, then cached until reset()).
 * Names are relative to root; inside a template, names are relative to that template's
 * directory unless they start with "/". A name that would leave root is refused.
 * Tornado: template.Loader(root_directory, **kwargs).
 */
export class Loader extends BaseLoader {
  readonly root: string;

  constructor(root: string, options: LoaderOptions = {}) {
    super(options);
    if (typeof root !== "string" || root === "") {
      throw new TemplateArgumentError(`Loader root must be a directory path, got ${JSON.stringify(root)}`);
    }
    this.root = path.resolve(root);
  }

  override resolvePath(name: string, parentPath?: string): string {
    if (parentPath && !parentPath.startsWith("<") && !parentPath.startsWith("/") && !name.startsWith("/")) {
      const fileDirectory = path.dirname(path.resolve(this.root, parentPath));
      const relative = path.resolve(fileDirectory, name);
      if (relative.startsWith(this.root + path.sep)) return relative.slice(this.root.length + 1).split(path.sep).join("/");
    }
    return name;
  }

  protected override createTemplate(name: string): Template {
    const file = path.resolve(this.root, "." + path.posix.sep + name.replace(/^\/+/, ""));
    if (!file.startsWith(this.root + path.sep)) {
      throw new TemplateNotFoundError(name, `the name leaves the loader root ${this.root}`);
    }
    let source: Buffer;
    try {
      source = readFileSync(file);
    } catch (error) {
      throw new TemplateNotFoundError(name, `cannot read ${file}: ${(error as Error).message}`, { cause: error });
    }
    return new Template(source, { name, loader: this });
  }
}
