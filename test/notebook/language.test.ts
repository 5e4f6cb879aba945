/* The language service (src/notebook/language): completions, hovers, problems with quick fixes
 * and names across cells, on a notebook that has really run (results from the kernel's own
 * session over a seeded synthetic market), so datasets, assets and summaries are real. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { ok, fail } from '../../src/engine/result';
import { generateMarket } from '../../src/engine/synthetic';
import type { PriceSeries } from '../../src/engine/series';
import { checkCell } from '../../src/notebook/check';
import { evaluateNotebook, type NotebookCell, type SessionEnv } from '../../src/notebook/session';
import {
  analyzeNotebook,
  cellProblems,
  completions,
  cursorContext,
  definition,
  hover,
  instrumentDraft,
  kindSnippet,
  kinds,
  prepareRename,
  references,
  rename,
  type LanguageCell,
  type NotebookModel,
  type Position,
} from '../../src/notebook/language';
import type { CellResult } from '../../src/results';

const DAY = 86_400_000;

function env(): SessionEnv {
  const m = generateMarket({
    seed: 7,
    periods: 200,
    intervalMs: DAY,
    start: Date.UTC(2024, 0, 1),
    benchmark: { asset: 'BTC', price: 60_000, vol: 0.6 },
    assets: [
      { asset: 'ETH', beta: 1.2, idioVol: 0.3, price: 3_000 },
      { asset: 'SOL', beta: 1.6, idioVol: 0.5, price: 150 },
      { asset: 'DOGE', beta: 0.8, idioVol: 0.6, price: 0.1 },
    ],
  });
  const series: PriceSeries[] = Object.entries(m.prices).map(([asset, prices]) => ({
    asset,
    times: m.times,
    prices,
  }));
  return {
    async loadPrices(file) {
      if (file !== 'data/daily.csv') return fail('file_not_found', ['file'], { file });
      return ok({ source: 'data/daily.csv', series });
    },
  };
}

const BASE: NotebookCell[] = [
  { id: 'md', kind: 'markdown', text: '# Hedging the core book' },
  { id: 'prices', kind: 'code', text: 'prices: daily\nfile: data/daily.csv' },
  { id: 'settings', kind: 'code', text: 'benchmark: BTC\nreturns: log' },
  { id: 'portfolio', kind: 'code', text: 'portfolio: core\nholdings: { ETH: 40, SOL: 500 }' },
  { id: 'betas', kind: 'code', text: 'betas: core' },
  { id: 'perp', kind: 'code', text: 'instrument: BTCUSDT-PERP\ncontract_size: 0.001' },
  { id: 'hedge', kind: 'code', text: 'hedge: core\nwith: BTCUSDT-PERP\ntarget_beta: 0.5' },
  {
    id: 'pair',
    kind: 'code',
    text: 'pair: sol-eth\nlong: { SOL: 10000usd }\nshort: { ETH: 10000usd }\nhedge_with: BTCUSDT-PERP',
  },
];

let RESULTS = new Map<string, CellResult[]>();

before(async () => {
  const runs = await evaluateNotebook(BASE, env());
  RESULTS = new Map(runs.map((r) => [r.id, r.results]));
  for (const r of runs) assert.equal(r.status, 'ok', `${r.id}: ${JSON.stringify(r.problems)}`);
});

/** The notebook (run), plus `extra` cells; `id: text` with `|` marking the cursor. */
function notebook(
  extra: Record<string, string> = {},
  opts: { run?: boolean; replace?: Record<string, string> } = {},
): { model: NotebookModel; pos: Position; id: string } {
  let pos: Position = { line: 0, column: 0 };
  let id = '';
  const cells: LanguageCell[] = [
    ...BASE,
    ...Object.entries(extra).map(([k, v]) => ({ id: k, kind: 'code' as const, text: v })),
  ].map((c) => {
    let text = opts.replace?.[c.id] ?? c.text;
    const bar = text.indexOf('|');
    if (bar >= 0 && c.kind === 'code') {
      const before = text.slice(0, bar).split('\n');
      pos = { line: before.length - 1, column: (before[before.length - 1] ?? '').length };
      id = c.id;
      text = text.slice(0, bar) + text.slice(bar + 1);
    }
    return {
      ...c,
      text,
      ...(opts.run === false ? {} : { results: RESULTS.get(c.id) ?? [] }),
    };
  });
  return { model: analyzeNotebook(cells), pos, id };
}

async function labels(extra: string, opts: { run?: boolean } = {}): Promise<string[]> {
  const { model, pos, id } = notebook({ x: extra }, opts);
  return (await completions(model, id, pos)).map((c) => c.label);
}

describe('the cursor scanner', () => {
  const ctx = (t: string) => {
    const bar = t.indexOf('|');
    const before = t.slice(0, bar).split('\n');
    return cursorContext(t.replace('|', ''), {
      line: before.length - 1,
      column: (before[before.length - 1] ?? '').length,
    });
  };
  it('tells keys from values, under block and flow mappings and in sequences', () => {
    assert.deepEqual([ctx('hed|').at, ctx('hed|').firstKey], ['key', true]);
    assert.deepEqual([ctx('hedge: co|').at, ctx('hedge: co|').path], ['value', ['hedge']]);
    assert.deepEqual(ctx('hedge: core\nwi|').path, []);
    assert.deepEqual(ctx('holdings: { ETH: 40, SO|').path, ['holdings']);
    assert.equal(ctx('holdings: { ETH: 40, SO|').at, 'key');
    assert.deepEqual(ctx('holdings: { ETH: 4|').path, ['holdings', 'ETH']);
    assert.deepEqual(ctx('p: x\nholdings:\n  ETH: 40\n  S|').path, ['holdings']);
    assert.deepEqual(ctx('p: x\nholdings:\n  ETH: 40\n|').path, []);
    assert.deepEqual(ctx('pair: { long: { S|').path, ['pair', 'long']);
    assert.equal(ctx('assets: [BTC, E|').inSequence, true);
    assert.equal(ctx('assets:\n  - BTC\n  - E|').inSequence, true);
    assert.equal(ctx('hedge: core # the po|').inComment, true);
  });
  it('replaces the whole word under the cursor, and knows when its colon is written', () => {
    const c = ctx('benchm|ark: BTC');
    assert.equal(c.word, 'benchm');
    assert.deepEqual(c.range, { startLine: 0, startColumn: 0, endLine: 0, endColumn: 9 });
    assert.equal(c.keyWritten, true);
  });
});

describe('completions', () => {
  it('offers every cell kind on the first line, each with a snippet of the keys it needs', async () => {
    const { model, pos, id } = notebook({ x: '|' });
    const items = await completions(model, id, pos);
    assert.deepEqual(
      items.map((i) => i.label),
      [...kinds()],
    );
    const hedge = items.find((i) => i.label === 'hedge');
    assert.equal(hedge?.snippet, true);
    // The only declared portfolio and instrument are filled in; target_beta is a placeholder.
    assert.equal(
      hedge?.insertText,
      'hedge: ${1:core}\nwith: ${2:BTCUSDT-PERP}\ntarget_beta: ${3:0.5}\n$0',
    );
    assert.match(hedge?.documentation ?? '', /sizes a futures hedge/);
  });

  it('makes a choice of the declared names when there are several', () => {
    const { model } = notebook({ eth: 'instrument: ETHUSDT-PERP' });
    assert.match(kindSnippet('hedge', model), /with: \$\{2\|BTCUSDT-PERP,ETHUSDT-PERP\|\}/);
  });

  it('fills a settings snippet with the user defaults', () => {
    const s = kindSnippet('settings', null, { benchmark: 'ETH', returns: 'log', window: '365d' });
    assert.equal(s, 'benchmark: ${1:ETH}\nreturns: ${2|log,simple|}\nwindow: ${3:365d}\n$0');
  });

  it('offers the keys of the cell kind that are not written yet', async () => {
    assert.deepEqual(await labels('hedge: core\nwith: BTCUSDT-PERP\n|'), [
      'target_beta',
      'leverage',
      'data',
    ]);
    assert.deepEqual(await labels('benchmark: BTC\n|'), ['returns', 'window', 'frequency', 'data']);
    assert.deepEqual(await labels('pair: { long: { SOL: 1 }, |'), [
      'short',
      'hedge_with',
      'leverage',
      'data',
    ]);
  });

  it('says what each key is, with its default and an example', async () => {
    const { model, pos, id } = notebook({ x: 'hedge: core\nta|' });
    const item = (await completions(model, id, pos)).find((i) => i.label === 'target_beta');
    assert.equal(item?.insertText, 'target_beta: ');
    assert.match(item?.documentation ?? '', /Default: `0`/);
    assert.match(item?.documentation ?? '', /target_beta: 0\.5/);
    assert.deepEqual(item?.range, { startLine: 1, startColumn: 0, endLine: 1, endColumn: 2 });
  });

  it('offers the words an enum allows', async () => {
    assert.deepEqual(await labels('benchmark: BTC\nreturns: |'), ['simple', 'log']);
    assert.deepEqual(await labels('instrument: X\nsettlement: |'), ['linear', 'inverse']);
    assert.deepEqual(await labels('instrument: X\ntype: p|'), ['perpetual', 'future']);
    assert.ok((await labels('prices: live\nexchange: binance\ninterval: |')).includes('4h'));
  });

  it('offers declared names where a name is expected, and nothing else', async () => {
    assert.deepEqual(await labels('hedge: core\nwith: |'), ['BTCUSDT-PERP']);
    assert.deepEqual(await labels('hedge: |'), ['core']);
    assert.deepEqual(await labels('betas: core\ndata: |'), ['daily']);
    assert.deepEqual(await labels('pair: p\nhedge_with: |'), ['BTCUSDT-PERP']);
  });

  it("offers the loaded dataset's assets where an asset is expected", async () => {
    const assets = ['BTC', 'ETH', 'SOL', 'DOGE'];
    assert.deepEqual((await labels('benchmark: |')).sort(), [...assets].sort());
    assert.deepEqual(
      (await labels('portfolio: p\nholdings: { ETH: 40, |')).sort(),
      [...assets].sort(),
    );
    assert.deepEqual((await labels('portfolio: p\nholdings:\n  ETH: 40\n  |')).sort(), [
      'BTC',
      'DOGE',
      'SOL',
    ]);
    assert.deepEqual((await labels('pair: { long: { |')).sort(), [...assets].sort());
    assert.deepEqual((await labels('betas: [ETH, |')).sort(), [...assets].sort());
    assert.deepEqual((await labels('betas: |')).slice(0, 2), ['core', 'all']);
    assert.deepEqual(await labels('portfolio: p\nholdings:\n  ETH: 40\n  SOL: 1\n  |\n'), [
      'BTC',
      'DOGE',
    ]);
    const { model, pos, id } = notebook({ x: 'portfolio: p\nholdings: { |' });
    assert.equal((await completions(model, id, pos))[0]?.insertText, 'BTC: ');
  });

  it('offers no assets before the dataset has been loaded', async () => {
    assert.deepEqual(await labels('benchmark: |', { run: false }), []);
  });

  it('lists price files and folders relative to the notebook after file:', async () => {
    const { model, pos, id } = notebook({ x: 'prices: p\nfile: data/d|' });
    const asked: string[] = [];
    const items = await completions(model, id, pos, {
      async listFiles(dir) {
        asked.push(dir);
        return [
          { name: 'daily.csv', directory: false },
          { name: 'notes.md', directory: false },
          { name: 'archive', directory: true },
          { name: '.hidden.csv', directory: false },
          { name: 'hourly.json', directory: false },
        ];
      },
    });
    assert.deepEqual(asked, ['data/']);
    assert.deepEqual(
      items.map((i) => [i.label, i.insertText]),
      [
        ['daily.csv', 'data/daily.csv'],
        ['hourly.json', 'data/hourly.json'],
        ['archive/', 'data/archive/'],
      ],
    );
    assert.deepEqual(items[0]?.range, { startLine: 1, startColumn: 6, endLine: 1, endColumn: 12 });
  });

  it('offers nothing inside a comment', async () => {
    assert.deepEqual(await labels('hedge: core # wi|'), []);
  });
});

describe('hovers', () => {
  const hoverAt = (text: string, extra: Record<string, string> = {}, run = true) => {
    const { model, pos, id } = notebook({ ...extra, x: text }, { run });
    return hover(model, id, pos)?.markdown ?? null;
  };

  it('shows a key with its description, default and example', () => {
    const h = hoverAt('hedge: core\ntarget_b|eta: 0.5');
    assert.match(h ?? '', /^\*\*target_beta\*\* \(hedge cell\): the portfolio beta to reach/);
    assert.match(h ?? '', /Default: `0`\./);
    assert.match(h ?? '', /```yaml\ntarget_beta: 0\.5\n```/);
  });

  it('shows what a cell kind does on its first key', () => {
    assert.match(hoverAt('hed|ge: core') ?? '', /^\*\*hedge\*\* cell: sizes a futures hedge/);
  });

  it("shows where a name is declared and its cell's result", () => {
    const h = hoverAt('hedge: co|re\nwith: BTCUSDT-PERP');
    assert.match(h ?? '', /^\*\*portfolio core\*\*: declared in cell 4, line 1/);
    assert.match(h ?? '', /value \$[\d,]+ on 2024-07-1\d \(2 positions\), β \d\.\d{3} to BTC/);
    const i = hoverAt('hedge: core\nwith: BTCUSDT-P|ERP');
    assert.match(i ?? '', /linear perpetual on BTC: price [\d,.]+, β 1\.000 \(benchmark\)/);
    const d = hoverAt('betas: core\ndata: da|ily');
    assert.match(
      d ?? '',
      /2024-01-01 → 2024-07-18, 200 rows, 1d bars; 4 assets: BTC, ETH, SOL, DOGE/,
    );
  });

  it('says a name has not run yet when its cell has no result', () => {
    assert.match(hoverAt('hedge: co|re\nwith: BTCUSDT-PERP', {}, false) ?? '', /Not run yet/);
  });

  it('knows the names of a cell that does not validate yet', () => {
    assert.match(hoverAt('hedge: co|re') ?? '', /declared in cell 4/);
  });

  it('shows an asset with its last price in the dataset', () => {
    assert.match(
      hoverAt('portfolio: p\nholdings: { SO|L: 5 }') ?? '',
      /^\*\*SOL\*\* in daily: last price [\d,.]+ \(2024-07-18 00:00 UTC\)/,
    );
    assert.match(
      hoverAt('benchmark: DOG|EE') ?? '',
      /DOGEE\*\* is not in daily \(it has: BTC, ETH, SOL, DOGE\)/,
    );
  });
});

describe('problems before running', () => {
  const problemsOf = (text: string, opts: { run?: boolean } = {}) => {
    const { model } = notebook({ x: text }, opts);
    return cellProblems(model, 'x');
  };

  it('marks an unknown name with a did-you-mean fix', () => {
    const [p, ...rest] = problemsOf('hedge: cor\nwith: BTCUSDT-PERP');
    assert.equal(rest.length, 0);
    assert.equal(p?.code, 'unknown_name');
    assert.equal(p?.message, "unknown portfolio 'cor'; did you mean core? (declared: core)");
    assert.deepEqual(p?.range, { startLine: 0, startColumn: 7, endLine: 0, endColumn: 10 });
    assert.deepEqual(
      p?.fixes.map((f) => [f.title, f.edits[0]?.newText, f.preferred]),
      [['Change to core', 'core', true]],
    );
  });

  it('offers to declare an instrument no cell declares, in a cell that validates', () => {
    const [p] = problemsOf('hedge: core\nwith: ETHUSD-261225');
    assert.equal(p?.code, 'unknown_name');
    const fix = p?.fixes.find((f) => f.newCell);
    assert.equal(fix?.title, 'Declare instrument ETHUSD-261225 in a new cell above');
    assert.deepEqual(fix?.newCell, {
      before: 'x',
      text: 'instrument: ETHUSD-261225\ntype: future\nsettlement: inverse\nexpiry: 2026-12-25\ncontract_size: 100',
    });
    assert.deepEqual(checkCell(fix?.newCell?.text ?? ''), []);
    assert.equal(instrumentDraft('SOLUSDT-PERP').split('\n')[2], 'settlement: linear');
  });

  it('marks a name declared twice in both cells', () => {
    const { model } = notebook({ x: 'portfolio: core\nholdings: { ETH: 1 }' });
    assert.match(
      cellProblems(model, 'x')[0]?.message ?? '',
      /portfolio 'core' is declared twice: in cell 9 and cell 4/,
    );
    assert.match(cellProblems(model, 'portfolio')[0]?.message ?? '', /in cell 4 and cell 9/);
  });

  it('marks a data: that names no dataset', () => {
    const [p] = problemsOf('betas: core\ndata: dialy');
    assert.equal(p?.message, "unknown prices 'dialy'; did you mean daily? (declared: daily)");
    assert.deepEqual(p?.range, { startLine: 1, startColumn: 6, endLine: 1, endColumn: 11 });
  });

  it('fixes a misspelt key, kind or enum word', () => {
    const fix = (t: string) => problemsOf(t).find((p) => p.suggestion)?.fixes[0]?.edits[0]?.newText;
    assert.equal(fix('portfolio: p\nhodlings: { ETH: 1 }'), 'holdings');
    assert.equal(fix('portfolo: p'), 'portfolio');
    assert.equal(fix('benchmrk: BTC'), 'benchmark');
    assert.equal(fix("benchmark: BTC\nreturns: 'lgo'"), "'log'");
  });

  it('marks unknown assets once the dataset is loaded, not before', () => {
    const [p] = problemsOf('portfolio: p\nholdings: { DOGEE: 100 }');
    assert.equal(
      p?.message,
      'unknown asset DOGEE in portfolio p; did you mean DOGE? (prices have: BTC, ETH, SOL, DOGE)',
    );
    assert.equal(p?.fixes[0]?.edits[0]?.newText, 'DOGE');
    assert.deepEqual(problemsOf('portfolio: p\nholdings: { DOGEE: 100 }', { run: false }), []);
  });

  it('words unknown assets exactly as the kernel does, at the same place', async () => {
    const cells = [
      'portfolio: p\nholdings: { DOGEE: 100, ETH: 1 }',
      'benchmark: BTCC',
      'betas: [ETH, SOLL]',
      'pair: q\nlong: { SOLL: 100usd }\nshort: { ETH: 100usd }',
      'instrument: BTCUSDT-PERP\nunderlying: BTX',
      'stress: core\nscenarios: { crash: { BTC: -30%, SOLL: -50% } }',
    ];
    for (const text of cells) {
      const replace: Record<string, string> = text.startsWith('benchmark')
        ? { settings: text }
        : text.startsWith('instrument')
          ? { perp: text }
          : {};
      const extra: Record<string, string> = Object.keys(replace).length > 0 ? {} : { x: text };
      const nb = [
        ...BASE.map((c) => ({ ...c, text: replace[c.id] ?? c.text })),
        ...Object.entries(extra).map(([id, t]) => ({ id, kind: 'code' as const, text: t })),
      ];
      const runs = await evaluateNotebook(nb, env());
      const id = Object.keys(replace)[0] ?? 'x';
      const kernel = runs.find((r) => r.id === id)?.problems ?? [];
      const { model } = notebook(extra, { replace });
      const editor = cellProblems(model, id).map(({ code, message, range }) => ({
        code,
        message,
        range,
      }));
      assert.ok(kernel.length > 0, `the kernel refuses ${text}`);
      assert.deepEqual(
        editor,
        kernel.map(({ code, message, range }) => ({ code, message, range })),
        text,
      );
    }
  });
});

describe('names across cells', () => {
  it('goes to the declaring cell from a reference', () => {
    const { model, pos, id } = notebook({ x: 'hedge: co|re\nwith: BTCUSDT-PERP' });
    assert.deepEqual(definition(model, id, pos), [
      { cellId: 'portfolio', range: { startLine: 0, startColumn: 11, endLine: 0, endColumn: 15 } },
    ]);
  });

  it('finds every cell that writes a name', () => {
    const { model, pos, id } = notebook(
      {},
      { replace: { hedge: 'hedge: core\nwith: BTCUSDT-|PERP' } },
    );
    assert.deepEqual(
      references(model, id, pos).map((l) => l.cellId),
      ['perp', 'hedge', 'pair'],
    );
    assert.deepEqual(
      references(model, id, pos, false).map((l) => l.cellId),
      ['hedge', 'pair'],
    );
  });

  it('renames a name in every cell that writes it', () => {
    const { model, pos, id } = notebook(
      {},
      { replace: { portfolio: 'portfolio: co|re\nholdings: { ETH: 40, SOL: 500 }' } },
    );
    const r = rename(model, id, pos, 'book');
    assert.ok(r.ok);
    assert.deepEqual(
      r.edits.map((e) => [e.cellId, e.range.startLine, e.range.startColumn, e.newText]),
      [
        ['portfolio', 0, 11, 'book'],
        ['betas', 0, 7, 'book'],
        ['hedge', 0, 7, 'book'],
      ],
    );
  });

  it('refuses a rename to a taken or invalid name, and of a name made from a file', () => {
    const { model, pos, id } = notebook(
      { eth: 'instrument: ETHUSDT-PERP' },
      { replace: { perp: 'instrument: BTC|USDT-PERP' } },
    );
    assert.deepEqual(rename(model, id, pos, 'ETHUSDT-PERP'), {
      ok: false,
      message: "instrument 'ETHUSDT-PERP' already exists: pick another name",
    });
    assert.equal(rename(model, id, pos, 'two words').ok, false);
    const derived = notebook({}, { replace: { prices: 'prices: data/da|ily.csv' } });
    const check = prepareRename(derived.model, derived.id, derived.pos);
    assert.equal(check.ok, false);
    assert.match(check.ok ? '' : check.message, /made from the file name/);
  });
});
