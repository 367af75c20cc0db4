/**
 * Templates from a directory. Tornado: template.Loader.
 */

import { readFileSync } from "node:fs";
import * as path from "node:path";
import { BaseLoader, type LoaderOptions } from "./base-loader";
import { checkCallback } from "@tornado/util";
import { TemplateArgumentError, TemplateNotFoundError } from "./errors";
import { Template } from "./template";

/** Options of Loader: those of every loader, plus a hook on the files it reads. */
export interface FileLoaderOptions extends LoaderOptions {
  /**
   * Called with the absolute path of each template file the loader reads (extended and
   * included ones too), e.g. @tornado/ioloop's `autoreload.watch`. Not in Tornado.
   */
  onFileRead?: (file: string) => void;
}

/**
 * Loads templates from files under `root` (read as UTF-8 once, then cached until reset()).
 * Names are relative to root; inside a template, names are relative to that template's
 * directory unless they start with "/". A name that would leave root is refused.
 * Tornado: template.Loader(root_directory, **kwargs).
 */
export class Loader extends BaseLoader {
  readonly root: string;
  readonly #onFileRead: ((file: string) => void) | undefined;

  constructor(root: string, options: FileLoaderOptions = {}) {
    super(options);
    if (typeof root !== "string" || root === "") {
      throw new TemplateArgumentError(`Loader root must be a directory path, got ${JSON.stringify(root)}`);
    }
    if (options.onFileRead !== undefined) checkCallback(options.onFileRead, "onFileRead");
    this.root = path.resolve(root);
    this.#onFileRead = options.onFileRead;
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
    this.#onFileRead?.(file);
    return new Template(source, { name, loader: this });
  }
}
