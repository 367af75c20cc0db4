// The application: its routes and settings. Tests build it with makeApp() too.
import { fileURLToPath } from "node:url";
import { Application } from "@tornado/tornado";
import { MainHandler } from "./handlers.js";

const root = (folder: string): string => fileURLToPath(new URL(`../${folder}/`, import.meta.url));

export function makeApp(): Application {
  return new Application([["/", MainHandler]], {
    templatePath: root("templates"),
    staticPath: root("static"),
    // Templates are re-read on every request and tracebacks shown in error pages, unless
    // NODE_ENV is "production".
    debug: process.env.NODE_ENV !== "production",
  });
}
