// Shared Jest configuration for every package: ts-jest in transpile-only mode (types are
// checked by `tsc` in the `typecheck` task), with @tornado/* (and the apps' private
// @tornado-apps/* helpers) mapped to the sibling src/ so that a test always runs against the
// current source of its dependencies.
const path = require("node:path");

// ESM-only packages that a test loads (jose, through @tornado/auth): Jest 29 cannot require an
// ES module, so ts-jest rewrites their files to CommonJS. The pattern also exempts pnpm's
// .pnpm/ store folder, or a package inside it would stay ignored.
const ESM_ONLY_PACKAGES = ["jose"];

module.exports = function jestConfig(packageDir) {
  return {
    rootDir: packageDir,
    testEnvironment: "node",
    testMatch: ["<rootDir>/test/**/*.test.ts"],
    transform: {
      "^.+\\.tsx?$": [
        "ts-jest",
        { tsconfig: path.join(packageDir, "tsconfig.test.json") },
      ],
      "/node_modules/.+\\.js$": [
        "ts-jest",
        { tsconfig: { allowJs: true, module: "commonjs", target: "ES2022", isolatedModules: true } },
      ],
    },
    transformIgnorePatterns: [`/node_modules/(?!(\\.pnpm|${ESM_ONLY_PACKAGES.join("|")})/)`],
    moduleNameMapper: {
      "^@tornado/([a-z]+)$": path.join(__dirname, "packages/$1/src/index.ts"),
      "^@tornado-apps/([a-z-]+)$": path.join(__dirname, "apps/$1/src/index.ts"),
    },
    testTimeout: 20000,
    reporters: ["default", path.join(__dirname, "scripts/jest-summary-reporter.js")],
  };
};
