// Runs PGlite's initdb once for the whole run, in a child process so that the ~800 MB it
// takes are given back, and tells the test files where the data directory is; each file
// copies it (test/helpers/databases.ts), which takes about a second instead of five or more.
const { execFileSync } = require("node:child_process");
const { mkdtempSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

module.exports = async function globalSetup() {
  const dir = mkdtempSync(join(tmpdir(), "blog-pglite-"));
  const dataDir = join(dir, "template");
  execFileSync(
    process.execPath,
    ["-e", 'require("@electric-sql/pglite").PGlite.create(process.argv[1]).then((db) => db.close())', dataDir],
    { cwd: __dirname, stdio: "inherit" },
  );
  process.env.BLOG_PGLITE_TEMPLATE = dataDir;
  process.env.BLOG_PGLITE_TEMPLATE_ROOT = dir;
};
