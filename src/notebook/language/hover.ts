/** Hovers: a key shows its description, default and example (from the schemas' metadata); a
 *  declared name shows where it is declared and, when its cell has run, one line on its result
 *  (a dataset's rows and range, a portfolio's value and beta, an instrument's price and beta);
 *  an asset shows its last price in the dataset. Pure. */
import type { CellResult } from '../../results';
import { fmtCount, fmtNum, fmtPct, fmtPrice, fmtUsd } from '../../outputs/format';
import type { Range } from '../location';
import type { NameKind } from '../names';
import { contains, cursorContext, kindOfText, offsetAt, wordAt, type Position } from './cursor';
import { keyDoc, keyMarkdown, kindMarkdown } from './docs';
import { knownAssets, type NotebookModel, type Occurrence } from './model';

export interface Hover {
  readonly markdown: string;
  readonly range: Range;
}

/** The declared name at `pos` (a declaration or a reference), if any. */
export function occurrenceAt(
  model: NotebookModel,
  cellId: string,
  pos: Position,
): Occurrence | undefined {
  return model.occurrences.find((o) => o.cellId === cellId && o.literal && contains(o.range, pos));
}

const day = (iso: string) => iso.slice(0, 10);

function resultsOf(model: NotebookModel, cellId: string): readonly CellResult[] {
  return model.cell(cellId)?.results ?? [];
}

/** One line about a declared name's result, or null when its cell has not run (or is stale). */
export function resultSummary(model: NotebookModel, kind: NameKind, name: string): string | null {
  const decl = model.occurrences.find(
    (o) => o.kind === kind && o.name === name && o.role === 'declaration',
  );
  if (!decl) return null;
  const own = resultsOf(model, decl.cellId);
  const all = model.cells.flatMap((c) => c.results);
  switch (kind) {
    case 'prices': {
      const r = own.find((x) => x.kind === 'prices');
      if (r?.kind !== 'prices') return null;
      const range = r.data ? `${day(r.data.start)} → ${day(r.data.end)}, ` : '';
      const rows = r.data ? `${fmtCount(r.data.rows)} rows, ` : '';
      return `${range}${rows}${r.frequency} bars; ${r.assets.length} assets: ${r.assets.join(', ')}`;
    }
    case 'portfolio': {
      const r = own.find((x) => x.kind === 'portfolio');
      if (r?.kind !== 'portfolio') return null;
      const betas = all.find((x) => x.kind === 'betas' && x.portfolio?.name === name);
      const hedge = all.find((x) => x.kind === 'hedge' && x.portfolio === name);
      const beta =
        betas?.kind === 'betas' && betas.portfolio
          ? `, β ${fmtNum(betas.portfolio.betaWeighted)} to ${betas.benchmark}`
          : hedge?.kind === 'hedge'
            ? `, β ${fmtNum(hedge.portfolioBeta)}`
            : '';
      return `value ${fmtUsd(r.value)} on ${day(r.asOf)} (${r.positions.length} positions)${beta}`;
    }
    case 'instrument': {
      const r = own.find((x) => x.kind === 'instrument');
      if (r?.kind !== 'instrument') return null;
      const expiry = r.expiry ? ` expiring ${day(r.expiry)}` : '';
      return (
        `${r.settlement} ${r.type}${expiry} on ${r.underlying}: price ${fmtPrice(r.price)}, ` +
        `β ${fmtNum(r.beta)} (${r.betaSource})`
      );
    }
    case 'pair': {
      const r = own.find((x) => x.kind === 'pair');
      if (r?.kind !== 'pair') return null;
      return `${r.long.asset} / ${r.short.asset}, dollar beta ${fmtUsd(r.dollarBeta)}`;
    }
    case 'funding': {
      const r = own.find((x) => x.kind === 'funding');
      if (r?.kind !== 'funding') return null;
      return r.symbols
        .map(
          (s) =>
            `${s.symbol}: ${fmtCount(s.settlements)} settlements ${day(s.first)} → ${day(s.last)}, mean ${fmtPct(s.mean, 4)} (${fmtPct(s.meanAnnual)} a year)`,
        )
        .join('; ');
    }
    case 'position': {
      const r = own.find((x) => x.kind === 'position');
      if (r?.kind !== 'position') return null;
      const t = r.ticket;
      return (
        `${fmtNum(r.contracts, 0)} ${r.instrument} from ${fmtPrice(r.entryPrice)}: β now ${fmtNum(r.betaNow)} ` +
        `(target ${fmtNum(r.targetBeta)}); ${t.side === 'none' ? 'no trade' : `${t.side} ${fmtNum(t.contracts, 0)} contracts`}`
      );
    }
    default: {
      // A kind without its own line here: say what data its result was computed on.
      const r = own[0];
      if (!r) return null;
      const d = r.data;
      return d
        ? `${r.kind} result on ${d.source}, ${day(d.start)} → ${day(d.end)} (${fmtCount(d.rows)} rows)`
        : `${r.kind} result computed`;
    }
  }
}

function nameHover(model: NotebookModel, o: Occurrence): Hover {
  const decls = model.occurrences.filter(
    (x) => x.kind === o.kind && x.name === o.name && x.role === 'declaration',
  );
  const where = decls
    .map((d) => `cell ${model.cell(d.cellId)?.number ?? '?'}, line ${d.range.startLine + 1}`)
    .join(' and ');
  const lines = [
    `**${o.kind} ${o.name}**: ${decls.length === 0 ? 'not declared in this notebook' : `declared in ${where}`}`,
  ];
  const summary = decls.length === 1 ? resultSummary(model, o.kind, o.name) : null;
  lines.push(
    '',
    summary ?? (decls.length === 1 ? '_Not run yet: run its cell to see its result here._' : ''),
  );
  return { markdown: lines.join('\n').trimEnd(), range: o.range };
}

function assetHover(model: NotebookModel, cellId: string, asset: string, range: Range): Hover {
  const dataset = model.datasetFor(cellId);
  if (!dataset) {
    const known = knownAssets(model, cellId);
    const text =
      known.length === 0
        ? `**${asset}**: an asset symbol (a column of the price data). Run the prices cell to check it.`
        : `**${asset}**: ${known.includes(asset) ? 'in' : 'not in'} the loaded price data`;
    return { markdown: text, range };
  }
  const last = dataset.result.last.find((l) => l.asset === asset);
  const markdown = last
    ? `**${asset}** in ${dataset.name}: last price ${fmtPrice(last.price)} (${last.time.slice(0, 16).replace('T', ' ')} UTC)`
    : `**${asset}** is not in ${dataset.name} (it has: ${dataset.result.assets.join(', ')})`;
  return { markdown, range };
}

/** The hover at `pos` in cell `cellId`, or null. */
export function hover(model: NotebookModel, cellId: string, pos: Position): Hover | null {
  const cell = model.cell(cellId);
  if (!cell) return null;
  const occurrence = occurrenceAt(model, cellId, pos);
  if (occurrence) return nameHover(model, occurrence);

  const offset = offsetAt(cell.text, pos);
  const [s, e] = wordAt(cell.text, offset);
  if (s === e) return null;
  const word = cell.text.slice(s, e);
  const before = cell.text.slice(0, s);
  const start: Position = {
    line: before.split('\n').length - 1,
    column: s - (before.lastIndexOf('\n') + 1),
  };
  const range: Range = {
    startLine: start.line,
    startColumn: start.column,
    endLine: start.line,
    endColumn: start.column + (e - s),
  };
  const ctx = cursorContext(cell.text, start);
  if (ctx.inComment) return null;
  const { kind, kindKey } = kindOfText(cell.text);
  if (!kind) return null;
  let path = [...ctx.path];
  if (kindKey !== null && path[0] === kindKey && (path.length > 1 || ctx.at === 'key'))
    path = path.slice(1);

  if (ctx.at === 'key' && path.length === 0 && ctx.keyWritten) {
    if (word === kindKey) return { markdown: kindMarkdown(kind), range };
    const d = keyDoc(kind, word);
    if (d) return { markdown: keyMarkdown(kind, d), range };
    return null;
  }
  const d = path[0] !== undefined ? keyDoc(kind, path[0]) : undefined;
  if (!d?.assets) return null;
  const assetPosition =
    (ctx.at === 'key' && path.length === 1 && ctx.keyWritten) ||
    (ctx.at === 'value' && path.length === 1 && !d.example.startsWith('{'));
  if (!assetPosition) return null;
  if (d.words?.includes(word) || (d.names && model.declared(d.names).includes(word))) return null;
  return assetHover(model, cellId, word, range);
}
