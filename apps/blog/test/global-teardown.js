const { rmSync } = require("node:fs");

module.exports = async function globalTeardown() {
  if (process.env.BLOG_PGLITE_TEMPLATE_ROOT) rmSync(process.env.BLOG_PGLITE_TEMPLATE_ROOT, { recursive: true, force: true });
};
