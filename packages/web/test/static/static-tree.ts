import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync, brotliCompressSync } from "node:zlib";

/** robots.txt of Tornado's test suite: 26 bytes. */
export const ROBOTS = "User-agent: *\nDisallow: /\n";

/** Builds the static tree the StaticFileHandler tests use; returns paths and a cleanup. */
export function makeStaticTree(): { base: string; root: string; cleanup: () => void } {
  const base = mkdtempSync(join(tmpdir(), "tornado-static-"));
  const root = join(base, "static");
  mkdirSync(join(root, "dir"), { recursive: true });
  mkdirSync(join(base, "outside"));
  mkdirSync(join(base, "static2"));
  writeFileSync(join(root, "robots.txt"), ROBOTS);
  writeFileSync(join(root, "dir", "index.html"), "this is the index\n");
  writeFileSync(join(root, "sample.xml"), "<a>b</a>\n");
  writeFileSync(join(root, "sample.xml.gz"), gzipSync("<a>b</a>\n"));
  writeFileSync(join(root, "sample.xml.bz2"), "BZh9");
  const app = "console.log('hello from app.js');\n".repeat(40);
  writeFileSync(join(root, "app.js"), app);
  writeFileSync(join(root, "app.js.gz"), gzipSync(app));
  writeFileSync(join(root, "app.js.br"), brotliCompressSync(app));
  writeFileSync(join(root, "utf8.html"), "H\u00e9llo\n");
  writeFileSync(join(base, "static_foo.txt"), "outside the root\n");
  writeFileSync(join(base, "outside", "secret.txt"), "secret\n");
  writeFileSync(join(base, "static2", "secret.txt"), "secret 2\n");
  symlinkSync(join(base, "static_foo.txt"), join(root, "evil-link"));
  symlinkSync(join(base, "outside"), join(root, "link-dir"));
  symlinkSync(base, join(root, "link-parent"));
  const mtime = new Date(Date.UTC(2020, 0, 2, 3, 4, 5));
  utimesSync(join(root, "robots.txt"), mtime, mtime);
  return { base, root, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}
