// The shared configuration; the end-to-end tests start oidc-provider (a child process) and
// Chromium, which take seconds on a loaded machine.
const base = require("../../jest.config.base.js")(__dirname);

module.exports = {
  ...base,
  testTimeout: 60000,
};
