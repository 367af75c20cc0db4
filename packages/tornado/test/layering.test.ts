import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

// ARCHITECTURE.md: a package depends only on packages listed before it.
const ORDER = [
  "util",
  "escape",
  "ioloop",
  "httputil",
  "httpserver",
  "httpclient",
  "template",
  "web",
  "websocket",
  "pubsub",
  "auth",
  "testing",
  "tornado",
];
// Tools: packages that use the layers but are no layer themselves (the app scaffold). A tool
// may depend on any @tornado package; no package depends on a tool.
const TOOLS = ["create-tornado"];
const PACKAGES_DIR = join(__dirname, "..", "..");

function manifest(name: string): Record<string, Record<string, string> | undefined> {
  return JSON.parse(readFileSync(join(PACKAGES_DIR, name, "package.json"), "utf8"));
}

function tornadoDeps(section: Record<string, string> | undefined): string[] {
  return Object.keys(section ?? {})
    .filter((dep) => dep.startsWith("@tornado/"))
    .map((dep) => dep.slice("@tornado/".length));
}

describe("package layering", () => {
  it("knows every package folder", () => {
    expect(readdirSync(PACKAGES_DIR).sort()).toEqual([...ORDER, ...TOOLS].sort());
  });

  it.each(ORDER)("@tornado/%s depends on no tool, not even for its tests", (name) => {
    const pkg = manifest(name);
    const all = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies };
    expect(Object.keys(all).filter((dep) => TOOLS.includes(dep))).toEqual([]);
  });

  it.each(TOOLS)("tool %s is private, outside the @tornado scope, and references what it depends on", (name) => {
    const pkg = manifest(name) as Record<string, unknown> & { dependencies?: Record<string, string> };
    expect({ name: pkg.name, private: pkg.private }).toEqual({ name, private: true });
    const tsconfig = JSON.parse(readFileSync(join(PACKAGES_DIR, name, "tsconfig.json"), "utf8"));
    const refs = (tsconfig.references ?? []).map((ref: { path: string }) => ref.path.replace("../", ""));
    expect(refs.sort()).toEqual(tornadoDeps(pkg.dependencies).sort());
  });

  it.each(ORDER)("@tornado/%s depends only on packages below it", (name) => {
    const pkg = manifest(name);
    const own = ORDER.indexOf(name);
    for (const dep of [...tornadoDeps(pkg.dependencies), ...tornadoDeps(pkg.peerDependencies)]) {
      expect({ dep, below: ORDER.indexOf(dep) < own && ORDER.includes(dep) }).toEqual({ dep, below: true });
    }
  });

  it.each(ORDER)("@tornado/%s test-only dependencies form no cycle", (name) => {
    // A devDependency may point up (web's tests use @tornado/testing) only if that
    // package does not itself depend, at run time, back on this one.
    for (const dep of tornadoDeps(manifest(name).devDependencies)) {
      expect(tornadoDeps(manifest(dep).dependencies)).not.toContain(name);
    }
  });

  it.each(ORDER)("@tornado/%s project references equal its @tornado dependencies", (name) => {
    const tsconfig = JSON.parse(readFileSync(join(PACKAGES_DIR, name, "tsconfig.json"), "utf8"));
    const refs = (tsconfig.references ?? []).map((ref: { path: string }) => ref.path.replace("../", ""));
    expect(refs.sort()).toEqual(tornadoDeps(manifest(name).dependencies).sort());
  });
});
