// The shared configuration, plus a PGlite data directory made once per run (initdb costs
// seconds and about 800 MB) that each test file copies (test/global-setup.js).
// package.json runs Jest with --experimental-vm-modules: PGlite's CommonJS build loads
// node:fs through import(), which Jest's module sandbox refuses without it.
const base = require("../../jest.config.base.js")(__dirname);

module.exports = {
  ...base,
  globalSetup: "<rootDir>/test/global-setup.js",
  globalTeardown: "<rootDir>/test/global-teardown.js",
  testTimeout: 60000,
};
