// The shared configuration; a longer timeout, for the tests that start node processes and Chromium.
module.exports = { ...require("../../jest.config.base.js")(__dirname), testTimeout: 60000 };
