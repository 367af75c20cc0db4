/**
 * Templates from an object of sources. Tornado: template.DictLoader.
 */

import * as path from "node:path";
import { BaseLoader, type LoaderOptions } from "./base-loader";
import { TemplateArgumentError, TemplateNotFoundError } from "./errors";
import { Template } from "./template";

/**
 * Loads templates from `{ name: source }` (handy in tests). Inside a template, names are
 * relative to its directory (POSIX rules) unless they start with "/".
 * Tornado: template.DictLoader(dict, **kwargs).
 */
export class DictLoader extends BaseLoader {
  readonly dict: Readonly<Record<string, string | Uint8Array>>;

  constructor(dict: Record<string, string | Uint8Array>, options: LoaderOptions = {}) {
    super(options);
    if (dict === null || typeof dict !== "object") {
      throw new TemplateArgumentError("DictLoader needs an object of template sources");
    }
    this.dict = dict;
  }

  override resolvePath(name: string, parentPath?: string): string {
    if (parentPath && !parentPath.startsWith("<") && !parentPath.startsWith("/") && !name.startsWith("/")) {
      return path.posix.normalize(path.posix.join(path.posix.dirname(parentPath), name));
    }
    return name;
  }

  protected override createTemplate(name: string): Template {
    if (!Object.prototype.hasOwnProperty.call(this.dict, name)) {
      throw new TemplateNotFoundError(name, "no such key in the DictLoader");
    }
    return new Template(this.dict[name]!, { name, loader: this });
  }
}
