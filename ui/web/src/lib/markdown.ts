/**
 * Markdown as the page shows it: the standard's documents, the notes people write on records. markdown-it
 * renders CommonMark (and pipe tables) with raw HTML off, so a `<script>` in a note is shown as text and a
 * `javascript:` link is not made a link; DOMPurify then sanitises the HTML before it reaches the page, so
 * nothing a writer typed can run or restyle the app.
 */
import MarkdownIt from 'markdown-it';
import DOMPurify from 'dompurify';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

// a link in a note leaves the app in a tab of its own, and that tab gets no handle on this one
const defaultLink = md.renderer.rules['link_open'] ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules['link_open'] = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('target', '_blank');
  tokens[idx]!.attrSet('rel', 'noopener noreferrer');
  return defaultLink(tokens, idx, options, env, self);
};

/** the HTML markdown-it makes of `text` (a block: paragraphs, lists, tables; inline: one line, no paragraph) */
export function markdownHtml(text: string, inline = false): string {
  return inline ? md.renderInline(text) : md.render(text);
}

/** the same, sanitised for the page (needs the browser's DOM) */
export function safeMarkdownHtml(text: string, inline = false): string {
  return DOMPurify.sanitize(markdownHtml(text, inline), { USE_PROFILES: { html: true }, ADD_ATTR: ['target'] });
}
