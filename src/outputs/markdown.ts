/** Markdown -> HTML for the HTML report (markdown cells and the text/markdown of results), with
 *  markdown-it: the parser VS Code itself uses for notebook markdown cells, so a notebook's text
 *  reads the same in the editor, the report and an exported .ipynb (CommonMark + GitHub tables,
 *  strikethrough and bare links).
 *
 *  Safety: raw HTML is off (`<script>` in a cell shows as text); links go only where markdown-it's
 *  validateLink allows (no javascript:, vbscript:, file: or data: URLs) and open without an
 *  opener; images become links to the image, so a report never fetches anything. Headings get
 *  ids (for the report's table of contents), made from their text and unique within the page. */
import MarkdownIt from 'markdown-it';

export interface Heading {
  readonly level: number;
  readonly text: string;
  readonly id: string;
}

export interface RenderedMarkdown {
  readonly html: string;
  readonly headings: Heading[];
}

function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
  md.renderer.rules.image = (tokens, i, _options, _env, self) => {
    const token = tokens[i]!;
    const src = token.attrGet('src') ?? '';
    const alt = self.renderInlineAsText(token.children ?? [], md.options, _env) || src;
    return md.validateLink(src)
      ? `<a href="${md.utils.escapeHtml(src)}" rel="noopener noreferrer">${md.utils.escapeHtml(alt)}</a>`
      : md.utils.escapeHtml(alt);
  };
  const linkOpen =
    md.renderer.rules.link_open ??
    ((tokens, i, options, _env, self) => self.renderToken(tokens, i, options));
  md.renderer.rules.link_open = (tokens, i, options, env, self) => {
    const href = tokens[i]!.attrGet('href') ?? '';
    if (!href.startsWith('#')) tokens[i]!.attrSet('rel', 'noopener noreferrer');
    return linkOpen(tokens, i, options, env, self);
  };
  return md;
}

const md = createMarkdown();

/** A URL fragment from a heading's text: lower case, letters and digits joined by '-'. */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return s === '' ? 'section' : s.slice(0, 60);
}

/** Renders markdown; `ids` (shared across one page) keeps heading ids unique. `omitTitle`: a
 *  first-line level-1 heading with exactly this text is left out (the page shows it already). */
export function renderMarkdown(
  markdown: string,
  ids: Set<string> = new Set(),
  omitTitle?: string,
): RenderedMarkdown {
  const env = {};
  const tokens = md.parse(markdown, env);
  const first = tokens[1];
  if (
    omitTitle !== undefined &&
    tokens[0]?.type === 'heading_open' &&
    tokens[0].tag === 'h1' &&
    first?.children &&
    md.renderer.renderInlineAsText(first.children, md.options, env).trim() === omitTitle.trim()
  )
    tokens.splice(0, 3);
  const headings: Heading[] = [];
  tokens.forEach((t, i) => {
    if (t.type !== 'heading_open') return;
    const inline = tokens[i + 1];
    const text = inline?.children
      ? md.renderer.renderInlineAsText(inline.children, md.options, env)
      : (inline?.content ?? '');
    let id = slug(text);
    for (let n = 2; ids.has(id); n++) id = `${slug(text)}-${n}`;
    ids.add(id);
    t.attrSet('id', id);
    headings.push({ level: Number(t.tag.slice(1)), text, id });
  });
  return { html: md.renderer.render(tokens, md.options, env), headings };
}

export function markdownToHtml(markdown: string): string {
  return renderMarkdown(markdown).html;
}
