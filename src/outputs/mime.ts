/** A typed cell result as a MIME bundle: the full result as JSON for the renderer, the key
 *  numbers as GitHub markdown tables (GitHub, the CLI and any viewer can read them) and plain
 *  text. Used by the VS Code controller and the CLI. Every notebook string is escaped. */
import { RESULT_MIME, type CellResult } from '../results';
import { escapeMarkdown } from './escape';
import { buildTables, provenanceLine, resultTitle, type TableModel } from './tables';

export interface OutputItemData {
  readonly mime: string;
  readonly data: string;
}

export function toOutputItems(result: CellResult): OutputItemData[] {
  return [
    { mime: RESULT_MIME, data: JSON.stringify(result) },
    { mime: 'text/markdown', data: resultToMarkdown(result) },
    { mime: 'text/plain', data: resultToText(result) },
  ];
}

/** One markdown table; cells escaped, '|' included, so a name cannot split a row. */
export function tableToMarkdown(table: TableModel): string {
  const cell = (s: string) => (s === '' ? ' ' : escapeMarkdown(s));
  const head = `| ${table.columns.map((c) => cell(c.label)).join(' | ')} |`;
  const rule = `|${table.columns.map((c) => (c.align === 'right' ? ' ---: ' : ' --- ')).join('|')}|`;
  const body = table.rows.map((r) => `| ${r.map(cell).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

export function resultToMarkdown(result: CellResult): string {
  const parts = [`### ${escapeMarkdown(resultTitle(result))}`];
  const prov = provenanceLine(result);
  if (prov) parts.push(`_${escapeMarkdown(prov)}_`);
  for (const t of buildTables(result)) {
    parts.push(`**${escapeMarkdown(t.title)}**\n\n${tableToMarkdown(t)}`);
  }
  if (result.warnings.length > 0) {
    parts.push(
      result.warnings
        .map((w) => `- ⚠️ ${escapeMarkdown(w.message)} (\`${w.code.replace(/`/g, "'")}\`)`)
        .join('\n'),
    );
  }
  return `${parts.join('\n\n')}\n`;
}

/** A table as aligned plain text. */
export function tableToText(table: TableModel): string {
  const all = [table.columns.map((c) => c.label), ...table.rows.map((r) => [...r])];
  const widths = table.columns.map((_, j) => Math.max(...all.map((r) => (r[j] ?? '').length)));
  const line = (r: readonly string[]) =>
    table.columns
      .map((c, j) => {
        const s = r[j] ?? '';
        return c.align === 'right' ? s.padStart(widths[j] ?? 0) : s.padEnd(widths[j] ?? 0);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(all[0] ?? []), rule, ...all.slice(1).map(line)].join('\n');
}

export function resultToText(result: CellResult): string {
  const parts = [resultTitle(result)];
  const prov = provenanceLine(result);
  if (prov) parts.push(prov);
  for (const t of buildTables(result)) parts.push(`${t.title}\n${tableToText(t)}`);
  for (const w of result.warnings) parts.push(`warning: ${w.message} (${w.code})`);
  return `${parts.join('\n\n')}\n`;
}

/** Problems located in a cell, one per line: 'line 3, column 5: message (code)'. 0-based
 *  ranges in, 1-based positions out (as an editor shows them). */
export function problemsToText(
  problems: readonly {
    code: string;
    message: string;
    range?: { startLine: number; startColumn: number };
  }[],
): string {
  return problems
    .map((p) =>
      p.range
        ? `line ${p.range.startLine + 1}, column ${p.range.startColumn + 1}: ${p.message} (${p.code})`
        : `${p.message} (${p.code})`,
    )
    .join('\n');
}
