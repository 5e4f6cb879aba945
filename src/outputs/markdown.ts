/** A small, safe markdown -> HTML converter for notebook markdown cells in the HTML report.
 *  Safety first: the whole text is HTML-escaped before any markup is added, so raw HTML in a
 *  cell shows as text; links only to http(s), mailto, in-page anchors and relative paths;
 *  images become links (a report must never fetch anything). Supports headings, paragraphs,
 *  emphasis, inline code, fenced code, block quotes, flat lists, rules and GFM tables. */
import { escapeHtml } from './escape';

const SAFE_URL = /^(https?:\/\/|mailto:|#|\.{0,2}\/|[\w.~-]+(\/|#|$))/i;

function inline(raw: string): string {
  const codes: string[] = [];
  let s = escapeHtml(raw).replace(/`([^`]+)`/g, (_, code: string) => {
    codes.push(`<code>${code}</code>`);
    return `\u0000${codes.length - 1}\u0000`;
  });
  s = s.replace(
    /!?\[([^\]]*)\]\(((?:[^()\s]|\([^()\s]*\))+)(?:\s+&quot;[^)]*&quot;)?\)/g,
    (_, text: string, url: string) => {
      const href = url.replace(/&amp;/g, '&');
      return SAFE_URL.test(href) ? `<a href="${escapeHtml(href)}">${text || url}</a>` : text || url;
    },
  );
  s = s
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/__([^_]+)__/g, '<strong>$1</strong>')
    .replace(/(^|[^\w*])\*([^*\s][^*]*)\*(?!\w)/g, '$1<em>$2</em>')
    .replace(/(^|[^\w_])_([^_\s][^_]*)_(?!\w)/g, '$1<em>$2</em>')
    .replace(/~~([^~]+)~~/g, '<del>$1</del>');
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u0000(\d+)\u0000/g, (_, i: string) => codes[Number(i)] ?? '');
}

const splitRow = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'));

export function markdownToHtml(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let i = 0;
  const isBlank = (l: string | undefined) => l === undefined || l.trim() === '';
  while (i < lines.length) {
    const line = lines[i] as string;
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] as string).trim().startsWith(fence[1] as string)) {
        body.push(lines[i] as string);
        i++;
      }
      i++;
      out.push(`<pre><code>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const level = (heading[1] as string).length;
      out.push(`<h${level}>${inline(heading[2] as string)}</h${level}>`);
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push('<hr>');
      i++;
      continue;
    }
    if (
      line.includes('|') &&
      /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/.test(lines[i + 1] ?? '')
    ) {
      const head = splitRow(line);
      const aligns = splitRow(lines[i + 1] as string).map((c) =>
        c.endsWith(':') ? (c.startsWith(':') ? 'center' : 'right') : 'left',
      );
      i += 2;
      const rows: string[][] = [];
      while (i < lines.length && !isBlank(lines[i]) && (lines[i] as string).includes('|')) {
        rows.push(splitRow(lines[i] as string));
        i++;
      }
      const cell = (tag: string, c: string, j: number) =>
        `<${tag} style="text-align:${aligns[j] ?? 'left'}">${inline(c)}</${tag}>`;
      out.push(
        `<table><thead><tr>${head.map((c, j) => cell('th', c, j)).join('')}</tr></thead><tbody>` +
          rows
            .map((r) => `<tr>${head.map((_, j) => cell('td', r[j] ?? '', j)).join('')}</tr>`)
            .join('') +
          '</tbody></table>',
      );
      continue;
    }
    if (/^\s*>/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i] as string)) {
        body.push((lines[i] as string).replace(/^\s*>\s?/, ''));
        i++;
      }
      out.push(`<blockquote>${markdownToHtml(body.join('\n'))}</blockquote>`);
      continue;
    }
    const item = /^\s*([-*+]|\d+[.)])\s+/;
    if (item.test(line)) {
      const ordered = /^\s*\d/.test(line);
      const items: string[] = [];
      while (i < lines.length && !isBlank(lines[i])) {
        const l = lines[i] as string;
        if (item.test(l)) items.push(l.replace(item, ''));
        else items[items.length - 1] += ` ${l.trim()}`;
        i++;
      }
      const tag = ordered ? 'ol' : 'ul';
      out.push(`<${tag}>${items.map((t) => `<li>${inline(t)}</li>`).join('')}</${tag}>`);
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      !isBlank(lines[i]) &&
      !/^(#{1,6}\s|\s*(```|~~~)|\s*>)/.test(lines[i] as string)
    ) {
      para.push((lines[i] as string).trim());
      i++;
    }
    out.push(`<p>${inline(para.join(' '))}</p>`);
  }
  return out.join('\n');
}
