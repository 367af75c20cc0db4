import { appManifest, appName, CreateArgumentError, withTarballs, type Tarball } from "create-tornado";

const TARBALLS: Tarball[] = [
  { name: "@tornado/web", file: "tornado-web-0.0.0-aaaa.tgz" },
  { name: "@tornado/tornado", file: "tornado-tornado-0.0.0-bbbb.tgz" },
  { name: "@tornado/util", file: "tornado-util-0.0.0-cccc.tgz" },
];

describe("appManifest", () => {
  const manifest = appManifest("my-app", TARBALLS);

  it("depends on @tornado/tornado alone, and overrides every packed package to its tarball", () => {
    expect(manifest.dependencies).toEqual({ "@tornado/tornado": "file:tarballs/tornado-tornado-0.0.0-bbbb.tgz" });
    expect(manifest.overrides).toEqual({
      "@tornado/tornado": "file:tarballs/tornado-tornado-0.0.0-bbbb.tgz",
      "@tornado/util": "file:tarballs/tornado-util-0.0.0-cccc.tgz",
      "@tornado/web": "file:tarballs/tornado-web-0.0.0-aaaa.tgz",
    });
  });

  it("is an ES module app with source maps on and start/dev/test scripts", () => {
    expect(manifest).toMatchObject({ name: "my-app", private: true, type: "module" });
    const scripts = manifest.scripts as Record<string, string>;
    expect(scripts.start).toMatch(/exec node --enable-source-maps dist\/main\.js$/);
    expect(scripts.dev).toBe("exec tsx watch src/main.ts");
    expect(scripts.test).toMatch(/^tsc && node --enable-source-maps --import tsx --test /);
  });
});

describe("withTarballs", () => {
  it("repoints @tornado dependencies the app added itself and keeps everything else", () => {
    const updated = withTarballs(
      {
        name: "app",
        dependencies: { "@tornado/tornado": "file:tarballs/old.tgz", "@tornado/web": "file:tarballs/old-web.tgz", left: "^1.0.0" },
        devDependencies: { typescript: "~5.9.3" },
        overrides: { "@tornado/gone": "file:tarballs/gone.tgz", other: "2.0.0" },
        scripts: { start: "mine" },
      },
      TARBALLS,
    );
    expect(updated.dependencies).toEqual({
      "@tornado/tornado": "file:tarballs/tornado-tornado-0.0.0-bbbb.tgz",
      "@tornado/web": "file:tarballs/tornado-web-0.0.0-aaaa.tgz",
      left: "^1.0.0",
    });
    expect(updated.devDependencies).toEqual({ typescript: "~5.9.3" });
    expect(Object.keys(updated.overrides!)).toEqual(["other", "@tornado/tornado", "@tornado/util", "@tornado/web"]);
    expect(updated.scripts).toEqual({ start: "mine" });
  });

  it("needs the meta-package among the tarballs", () => {
    expect(() => withTarballs({ name: "app" }, [TARBALLS[0]!])).toThrow(CreateArgumentError);
  });
});

describe("appName", () => {
  it.each([
    ["my-app", "my-app"],
    ["My App", "my-app"],
    ["_hidden.app", "hidden.app"],
  ])("%j -> %j", (folder, name) => {
    expect(appName(folder)).toBe(name);
  });

  it.each(["", "...", "node_modules"])("refuses %j", (folder) => {
    expect(() => appName(folder)).toThrow(/cannot make an npm package name/);
  });
});
