// The built package loads by name from CommonJS and from an ES module. It is CommonJS and
// requires jose 6, an ES module: Node allows that from 20.19 (require(esm)), hence `engines`.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const PACKAGE_DIR = join(__dirname, "..");
const PACKAGES_DIR = join(PACKAGE_DIR, "..");
// A workspace package that depends on @tornado/auth (the meta-package), so that the name
// resolves through node_modules and package.json "exports", as it does for users.
const DEPENDENT_DIR = join(PACKAGES_DIR, "tornado");

function node(args: string[]): { stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, args, { cwd: DEPENDENT_DIR, encoding: "utf8", timeout: 30000 });
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed: ${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

describe("built package", () => {
  beforeAll(() => {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-b"], { cwd: DEPENDENT_DIR });
  }, 120000);

  it("requires from CommonJS without a warning", () => {
    const script = 'const a = require("@tornado/auth"); console.log(typeof a.OpenIdConnectMixin, a.AuthError.code)';
    expect(node(["-e", script])).toEqual({ stdout: "function TORNADO_ERR_AUTH_FAILED\n", stderr: "" });
  });

  it("requires jose (an ES module) at run time, as the OpenID Connect checks do, on this Node", () => {
    const loader = JSON.stringify(join(PACKAGE_DIR, "dist", "oidc", "jose.js"));
    const script = [
      `const { jose } = require(${loader});`,
      "const { SignJWT, jwtVerify } = jose();",
      'const key = new TextEncoder().encode("k".repeat(32));',
      'new SignJWT({ sub: "a" }).setProtectedHeader({ alg: "HS256" }).sign(key)',
      "  .then((jwt) => jwtVerify(jwt, key)).then(({ payload }) => console.log(payload.sub));",
    ].join("\n");
    expect(node(["-e", script])).toEqual({ stdout: "a\n", stderr: "" });
  });

  it("imports from an ES module", () => {
    const script = 'import { GoogleOAuth2Mixin, oauthSignature } from "@tornado/auth"; console.log(typeof GoogleOAuth2Mixin, typeof oauthSignature)';
    expect(node(["--input-type=module", "-e", script]).stdout).toBe("function function\n");
  });

  it("loads through the meta-package, as a namespace and by flat names, from both module systems", () => {
    expect(node(["-e", 'const t = require("@tornado/tornado"); console.log(t.auth.OAuth2Mixin === t.OAuth2Mixin)']).stdout).toBe("true\n");
    const esm = 'import { auth, TwitterMixin, Application } from "@tornado/tornado"; console.log(auth.TwitterMixin === TwitterMixin, typeof Application)';
    expect(node(["--input-type=module", "-e", esm]).stdout).toBe("true function\n");
  });

  it("asks for Node 20.19 or later, as does every package that depends on it", () => {
    const manifests = readdirSync(PACKAGES_DIR).map((name) => JSON.parse(readFileSync(join(PACKAGES_DIR, name, "package.json"), "utf8")));
    const needing = manifests.filter((pkg) => pkg.name === "@tornado/auth" || pkg.dependencies?.["@tornado/auth"] !== undefined);
    expect(needing.map((pkg) => pkg.name).sort()).toEqual(["@tornado/auth", "@tornado/tornado"]);
    for (const pkg of needing) expect({ name: pkg.name, node: pkg.engines.node }).toEqual({ name: pkg.name, node: ">=20.19" });
  });
});
