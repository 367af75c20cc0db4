const base = require("../../jest.config.base.js")(__dirname);

// The tests import this package by name, like the others do theirs.
module.exports = {
  ...base,
  moduleNameMapper: { ...base.moduleNameMapper, "^create-tornado$": "<rootDir>/src/index.ts" },
};
