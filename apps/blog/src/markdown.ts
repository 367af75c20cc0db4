/**
 * Markdown to HTML with raw HTML off: markdown-it escapes `<script>`, `<img onerror>` and any
 * other tag in the source, and refuses `javascript:`, `vbscript:`, `file:` and non-image
 * `data:` links (they stay text). Tornado's demo stores python-markdown's output, which passes
 * HTML through: a stored XSS for whoever can post. XHTML output (`<br />`), so that the Atom
 * feed can embed entries as `type="xhtml"` content.
 */

import MarkdownIt from "markdown-it";

const markdown = new MarkdownIt({ html: false, xhtmlOut: true, linkify: true });

export function renderMarkdown(source: string): string {
  return markdown.render(source);
}
