/** Hostile cells and notebooks (issue 14): each class of input ends with a located problem in
 *  bounded time, never a throw, an "internal error" or a silently wrong answer. The property
 *  tests at the end generate cells with hostile shapes (aliases, depth, huge and tiny numbers,
 *  object-prototype keys, impossible dates) and check the same three things for all of them. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkCell, validateCell } from '../../src/notebook/check';
import { parseCell } from '../../src/notebook/parse';
import { parseDate } from '../../src/notebook/schemas';
import { parseNotebookFile } from '../../src/notebook/file-format';
import { analyzeNotebook, hover, notebookProblems } from '../../src/notebook/language';
import {
  MAX_CELL_CHARS,
  MAX_CELL_NESTING,
  MAX_CELLS,
  MAX_PROBLEMS_PER_CELL,
} from '../../src/notebook/limits';
import type { LocatedProblem } from '../../src/notebook/location';
import { ok } from '../../src/engine/result';
import { generateMarket } from '../../src/engine/synthetic';
import {
  evaluateNotebook,
  Session,
  type CellRun,
  type NotebookCell,
  type SessionEnv,
} from '../../src/notebook/session';

const DAY = 86_400_000;

/** Prices for BTC, ETH and SOL, plus columns named like Object's own properties. */
function env(extraColumns: readonly string[] = []): SessionEnv {
  const m = generateMarket({
    seed: 3,
    periods: 120,
    intervalMs: DAY,
    start: Date.UTC(2024, 0, 1),
    benchmark: { asset: 'BTC', price: 60_000, vol: 0.6 },
    assets: [
      { asset: 'ETH', beta: 1.2, idioVol: 0.3, price: 3_000 },
      { asset: 'SOL', beta: 1.5, idioVol: 0.5, price: 150 },
      ...extraColumns.map((asset, k) => ({ asset, beta: 0.5, idioVol: 0.2, price: 10 + k })),
    ],
  });
  const series = Object.entries(m.prices).map(([asset, prices]) => ({
    asset,
    times: m.times,
    prices,
  }));
  return { loadPrices: async () => ok({ source: 'memory', series }) };
}

const code = (id: string, text: string): NotebookCell => ({ id, kind: 'code', text });
const BASE: NotebookCell[] = [
  code('prices', 'prices: d\nfile: x.csv'),
  code('perp', 'instrument: PERP\nunderlying: BTC\ncontract_size: 0.001'),
  code('core', 'portfolio: core\nholdings: { ETH: 10, SOL: 100 }'),
];

async function runOne(text: string, e: SessionEnv = env()): Promise<CellRun> {
  const runs = await evaluateNotebook([...BASE, code('x', text)], e);
  const run = runs.find((r) => r.id === 'x');
  assert.ok(run);
  return run;
}

/** Every problem lies inside the text (0-based lines and columns) and has words. */
function assertLocated(text: string, problems: readonly LocatedProblem[]): void {
  const lines = text.split('\n');
  for (const p of problems) {
    const { startLine, startColumn, endLine, endColumn } = p.range;
    assert.ok(p.message.length > 0, `${p.code} has no words`);
    assert.ok(startLine >= 0 && endLine < Math.max(1, lines.length), `${p.code} outside the lines`);
    assert.ok(startLine < endLine || startColumn <= endColumn, `${p.code} ends before it starts`);
    assert.ok(startColumn <= (lines[startLine]?.length ?? 0), `${p.code} starts past its line`);
    assert.ok(endColumn <= (lines[endLine]?.length ?? 0), `${p.code} ends past its line`);
  }
}

const codes = (ps: readonly LocatedProblem[]) => ps.map((p) => p.code);

describe('hostile cells: YAML aliases', () => {
  const bomb = [
    'portfolio: core',
    'holdings: { ETH: 1 }',
    'a: &a [x,x,x,x,x,x,x,x,x,x]',
    'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    'c: [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  ].join('\n');

  it('reports an alias bomb at its first alias instead of throwing', () => {
    const problems = checkCell(bomb);
    assert.deepEqual(codes(problems), ['yaml_aliases']);
    assert.deepEqual(problems[0]?.range, {
      startLine: 3,
      startColumn: 7,
      endLine: 3,
      endColumn: 9,
    });
    assert.match(problems[0]?.message ?? '', /expand to more than 100 values/);
  });

  it('runs the cell to that located error, never an internal error', async () => {
    const run = await runOne(bomb);
    assert.equal(run.status, 'error');
    assert.deepEqual(codes(run.problems), ['yaml_aliases']);
  });

  it('still reads a modest alias as the value it names', () => {
    const { spec } = validateCell(parseCell('portfolio: core\nholdings: &h { ETH: 1 }\n'));
    assert.ok(spec && spec.kind === 'portfolio');
    assert.deepEqual(checkCell('betas: &x [ETH, SOL]'), []);
  });
});

describe('hostile cells: size and depth', () => {
  it(`refuses a cell over ${MAX_CELL_CHARS.toLocaleString('en-US')} characters on its first line, unparsed`, () => {
    const text = `portfolio: p\nholdings: { ETH: 1 }\n# ${'x'.repeat(MAX_CELL_CHARS)}`;
    const problems = checkCell(text);
    assert.deepEqual(codes(problems), ['cell_too_large']);
    assert.deepEqual(problems[0]?.range, {
      startLine: 0,
      startColumn: 0,
      endLine: 0,
      endColumn: 12,
    });
    assert.match(problems[0]?.message ?? '', /holds at most 256,000/);
  });

  it(`refuses brackets nested more than ${MAX_CELL_NESTING} deep at the first one too deep`, () => {
    const text = `portfolio: p\nholdings: ${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const problems = checkCell(text);
    assert.deepEqual(codes(problems), ['cell_too_deep']);
    assert.equal(problems[0]?.range.startColumn, 10 + MAX_CELL_NESTING);
    assert.deepEqual(checkCell(`betas: ${'['.repeat(8)}ETH${']'.repeat(8)}`).length, 1); // located, not deep
  });
});

describe('hostile cells: object-prototype keys are plain keys', () => {
  it('does not take holdings from a __proto__ key', async () => {
    const text = 'portfolio: core2\n__proto__: { holdings: { BTC: 1 } }';
    assert.deepEqual(codes(checkCell(text)), ['missing_key', 'unknown_key']);
    const run = await runOne(text);
    assert.equal(run.status, 'error');
    assert.match(run.problems.map((p) => p.message).join('\n'), /unknown key '__proto__'/);
  });

  it('reports constructor, toString and friends as unknown keys, never as given twice', () => {
    for (const key of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__']) {
      for (const text of [
        `portfolio: { ${key}: x, holdings: { ETH: 1 } }`,
        `portfolio: core\nholdings: { ETH: 1 }\n${key}: 1`,
        `pair: { ${key}: 1, long: { SOL: 10usd }, short: { ETH: 10usd } }`,
      ]) {
        const found = codes(checkCell(text));
        assert.ok(found.includes('unknown_key'), `${text}: ${found.join(', ')}`);
        assert.ok(!found.includes('duplicate_key'), `${text}: ${found.join(', ')}`);
      }
    }
  });

  it('refuses prototype names where an asset symbol is a key, at the key', () => {
    for (const text of [
      'portfolio: p\nholdings: { __proto__: 1, ETH: 1 }',
      'benchmark: { __proto__: 100% }',
    ]) {
      const problems = checkCell(text);
      assert.deepEqual(codes(problems), ['expected_asset_key'], text);
      assert.match(problems[0]?.message ?? '', /got '__proto__'/);
    }
    assert.deepEqual(
      codes(
        checkCell('prices: d\nexchange: binance\nstart: 2024-01-01\nsymbols: { __proto__: X }'),
      ),
      ['expected_symbols'],
    );
  });

  it('says an asset named like a method is unknown when the prices lack it', async () => {
    for (const asset of ['constructor', 'toString', 'hasOwnProperty']) {
      const run = await runOne(`portfolio: p\nholdings: { ${asset}: 1 }`);
      assert.deepEqual(codes(run.problems), ['cell_unknown_asset']);
    }
  });

  it('values and measures columns named constructor and __proto__ like any other', async () => {
    const e = env(['constructor', '__proto__']);
    const runs = await evaluateNotebook(
      [
        code('prices', 'prices: d\nfile: x.csv'),
        code('p', 'portfolio: p\nholdings: { constructor: 2, ETH: 1 }'),
        code('b', 'betas: [constructor, __proto__]'),
      ],
      e,
    );
    const p = runs.find((r) => r.id === 'p');
    assert.equal(p?.status, 'ok', JSON.stringify(p?.problems));
    const result = p?.results[0];
    assert.ok(result?.kind === 'portfolio');
    const c = result.positions.find((x) => x.asset === 'constructor');
    assert.equal(c?.units, 2);
    assert.ok(typeof c?.value === 'number' && c.value > 0 && Number.isFinite(c.value));
    // the asset list comes from a YAML list, so __proto__ is an ordinary symbol there
    const b = runs.find((r) => r.id === 'b');
    assert.equal(b?.status, 'error');
    assert.deepEqual(codes(b?.problems ?? []), ['expected_betas_target']);
  });
});

describe('hostile cells: dates', () => {
  it('refuses dates that are not real calendar dates instead of moving them', () => {
    for (const bad of [
      '0024-01-01',
      '9999-12-31',
      '2024-02-30',
      '2023-02-29',
      '2024-13-01',
      '2024-01-01T24:00',
      '2024-01-01T23:60',
      '2024-01-01T00:00:60Z',
      '2024-01-01T00:00+99:99',
      '2024-01-01T00:00+14:01',
      '2024-01-01T00:00+01:60',
    ])
      assert.equal(parseDate(bad), undefined, bad);
    assert.equal(parseDate('2024-02-29'), Date.UTC(2024, 1, 29));
    assert.equal(parseDate('2026-12-25T08:00:00+02:00'), Date.UTC(2026, 11, 25, 6));
    assert.equal(parseDate('2026-12-25T08:00-0530'), Date.UTC(2026, 11, 25, 13, 30));
    assert.equal(parseDate('2024-01-01T00:00+14:00'), Date.UTC(2023, 11, 31, 10));
    assert.equal(parseDate('2024-01-01 08:00:00.1239Z'), Date.UTC(2024, 0, 1, 8, 0, 0, 123));
  });

  it('locates an impossible expiry at its value', () => {
    const problems = checkCell('instrument: F\ntype: future\nexpiry: 0024-12-25');
    assert.deepEqual(codes(problems), ['expected_date']);
    assert.deepEqual(problems[0]?.range, {
      startLine: 2,
      startColumn: 8,
      endLine: 2,
      endColumn: 18,
    });
  });
});

describe('hostile cells: numbers past double precision', () => {
  it('reports holdings whose value overflows at the holding, never a null value', async () => {
    const run = await runOne('portfolio: huge\nholdings: { ETH: 1e308 }');
    assert.equal(run.status, 'error');
    assert.deepEqual(codes(run.problems), ['value_out_of_range']);
    assert.deepEqual(run.problems[0]?.range.startLine, 1);
    assert.match(run.problems[0]?.message ?? '', /beyond what double precision holds/);
  });

  it('fails betas on a price of 1e308 instead of answering beta 0, R² 0, SE 0', async () => {
    const n = 60;
    const times = Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * DAY);
    const btc = times.map((_, i) => 60_000 * (1 + 0.01 * Math.sin(i)));
    for (const big of [1e308, 1e200]) {
      const eth = times.map((_, i) => (i === 20 ? big : 3_000 * (1 + 0.02 * Math.sin(1.3 * i))));
      const e: SessionEnv = {
        loadPrices: async () =>
          ok({
            source: 'memory',
            series: [
              { asset: 'BTC', times, prices: btc },
              { asset: 'ETH', times, prices: eth },
            ],
          }),
      };
      const runs = await evaluateNotebook(
        [code('prices', 'prices: d\nfile: x.csv'), code('b', 'betas: [ETH]')],
        e,
      );
      const b = runs.find((r) => r.id === 'b');
      assert.equal(b?.status, 'error', `${big}: ${JSON.stringify(b?.results).slice(0, 200)}`);
      assert.match(b?.problems[0]?.message ?? '', /beyond what double precision holds/);
    }
  });

  it('refuses a contract so small that contract counts overflow, with or without a pair', async () => {
    for (const size of ['1e-320', '5e-324']) {
      const run = await runOne(`instrument: TINY\nunderlying: BTC\ncontract_size: ${size}`);
      assert.deepEqual(codes(run.problems), ['expected_contract_size']);
    }
  });

  it('fails a hedge whose contract count overflows at the instrument, never "— contracts"', async () => {
    const runs = await evaluateNotebook(
      [
        ...BASE,
        code('nano', 'instrument: NANO\nunderlying: BTC\ncontract_size: 1e-9\nlot_step: 1e-9'),
        code('big', 'portfolio: big\nholdings: { ETH: 1e300usd }'),
        code('h', 'hedge: big\nwith: NANO'),
        code('pair', 'pair: { long: { SOL: 1e300usd }, short: { ETH: 10usd } }\nhedge_with: NANO'),
      ],
      env(),
    );
    for (const id of ['h', 'pair']) {
      const run = runs.find((r) => r.id === id);
      assert.equal(run?.status, 'error', id);
      assert.deepEqual(codes(run?.problems ?? []), ['hedge_out_of_range'], id);
      assert.match(
        run?.problems[0]?.message ?? '',
        /NANO cannot size this hedge: the number of contracts/,
      );
    }
  });
});

describe('hostile notebooks: limits', () => {
  it(`refuses to run a notebook of more than ${MAX_CELLS.toLocaleString('en-US')} cells, saying so in each cell`, async () => {
    const cells = Array.from({ length: MAX_CELLS + 1 }, (_, i) =>
      code(`c${i}`, `betas: all # ${i}`),
    );
    const runs = await evaluateNotebook(cells, env());
    assert.equal(runs.length, MAX_CELLS + 1);
    assert.ok(runs.every((r) => r.status === 'error' && r.problems[0]?.code === 'too_many_cells'));
    assert.match(runs[0]?.problems[0]?.message ?? '', /at most 5,000 cells/);
  });

  it(`shows at most ${MAX_PROBLEMS_PER_CELL} problems of a cell and counts the rest`, async () => {
    const n = 2_000;
    const holdings = Array.from({ length: n }, (_, i) => `  COIN${i}: 1`).join('\n');
    const run = await runOne(`portfolio: many\nholdings:\n${holdings}`);
    assert.equal(run.problems.length, MAX_PROBLEMS_PER_CELL + 1);
    assert.equal(run.problems.at(-1)?.code, 'more_problems');
    assert.match(run.problems.at(-1)?.message ?? '', /1,900 more problems/);
    const checked = checkCell(`portfolio: many\nholdings:\n${holdings.replace(/: 1/g, ': x')}`);
    assert.equal(checked.length, MAX_PROBLEMS_PER_CELL + 1);
  });

  it('refuses a notebook file nested too deep, at its place, and accepts a byte order mark', () => {
    const r = parseNotebookFile(
      `{"format":1,"metadata":{"a":${'['.repeat(1e5)}${']'.repeat(1e5)}},"cells":[]}`,
    );
    assert.ok(!r.ok);
    assert.equal(r.problems[0]?.code, 'notebook_too_deep');
    // the root and metadata objects are levels 1 and 2: the 99th bracket is one too deep
    assert.equal(r.problems[0]?.params?.column, 29 + 98);
    assert.ok(parseNotebookFile('\uFEFF{"format": 1, "cells": []}').ok);
  });
});

/** CPU time of f in ms: the time this process computed, not the time other processes on a busy
 *  machine took from it. */
function cpuOf(f: () => void): number {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** The smallest of three CPU timings of f (warm), in ms. */
function timeOf(f: () => void): number {
  f();
  return Math.min(cpuOf(f), cpuOf(f), cpuOf(f));
}

describe('hostile notebooks: work grows linearly', () => {
  // Ratios of two sizes measured back to back in CPU time, with a wide margin: linear work grows
  // k times, quadratic k², cubic k³. No absolute times are asserted.
  const notebook = (n: number): NotebookCell[] => {
    const cells: NotebookCell[] = [code('prices', 'prices: d\nfile: x.csv')];
    for (let i = 0; cells.length < n; i++) {
      cells.push(code(`p${i}`, `portfolio: p${i}\nholdings: { ETH: ${i + 1} }`));
      cells.push(code(`i${i}`, `instrument: I${i}\nunderlying: BTC\ncontract_size: 0.001`));
      cells.push(code(`h${i}`, `hedge: p${i}\nwith: I${i}`));
    }
    return cells;
  };
  const edit = (cells: NotebookCell[]) =>
    cells.map((c) => (c.id === 'prices' ? { ...c, text: `${c.text}\n# edited` } : c));

  // The timeouts turn a regression to quadratic or cubic work into a failure, not a hang.
  it(
    'marks what depends on an edit stale in time linear in the cells (8x cells: < 32x time)',
    { timeout: 60_000 },
    () => {
      const cost = (n: number) => {
        const cells = notebook(n);
        const edited = edit(cells);
        const s = new Session(env());
        s.update(cells); // parsing every cell once is not what is measured
        return timeOf(() => {
          s.update(edited); // the prices cell changed: every other cell depends on it
          s.update(cells);
        });
      };
      const small = cost(250);
      const large = cost(2_000);
      assert.ok(
        large < 32 * small,
        `250 cells ${small.toFixed(1)} ms, 2,000 cells ${large.toFixed(1)} ms`,
      );
    },
  );

  it(
    'runs a whole notebook in time linear in its cells (16x cells: < 20x time)',
    { timeout: 120_000 },
    async () => {
      // Each run of a declaring cell invalidates what depends on its new data: that must cost
      // what it reaches, not a walk over the whole notebook per cell (which takes 16x cells
      // some 35x the time here; linear work, warm, about 6x).
      const e = env();
      const cost = async (n: number) => {
        const cells = notebook(n);
        const start = process.cpuUsage();
        const runs = await evaluateNotebook(cells, e);
        const used = process.cpuUsage(start);
        assert.ok(runs.every((r) => r.status === 'ok'));
        return (used.user + used.system) / 1000;
      };
      await cost(150); // warm up
      const small = Math.min(await cost(150), await cost(150), await cost(150));
      const large = Math.min(await cost(2_400), await cost(2_400));
      assert.ok(
        large < 20 * small,
        `150 cells ${small.toFixed(1)} ms, 2,400 cells ${large.toFixed(1)} ms`,
      );
    },
  );

  it(
    'checks and locates in the largest cell allowed in time linear in its size (16x keys: < 32x time)',
    { timeout: 60_000 },
    () => {
      // 20,000 keys is near MAX_CELL_CHARS; a quadratic step (the yaml library's own duplicate
      // key check, a linear search per located key) takes some 60x the time of 1,250 keys here.
      const cell = (n: number) =>
        `portfolio: p\nholdings:\n${Array.from({ length: n }, (_, i) => `  C${i}: x`).join('\n')}`;
      const cost = (n: number) => {
        const text = cell(n);
        assert.ok(text.length < MAX_CELL_CHARS);
        return cpuOf(() => {
          const parsed = parseCell(text);
          for (let i = 0; i < n; i++) parsed.locate(['holdings', `C${i}`], 'key');
          checkCell(text);
        });
      };
      cost(1_250); // warm up
      const small = Math.min(cost(1_250), cost(1_250), cost(1_250));
      const large = cost(20_000);
      assert.ok(
        large < 32 * small,
        `1,250 keys ${small.toFixed(1)} ms, 20,000 keys ${large.toFixed(1)} ms`,
      );
    },
  );
});

// ------------------------------------------------------------------------------------------------
// Property tests: hostile shapes, generated.

const SPECIAL_KEYS = [
  '__proto__',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'prototype',
];
const key = fc.oneof(
  fc.constantFrom(...SPECIAL_KEYS),
  fc.constantFrom('holdings', 'ETH', 'BTC', 'SOL', 'long', 'short', 'file', 'benchmark', 'expiry'),
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/),
);
const hugeNumber = fc.constantFrom(
  '1e308',
  '-1e308',
  '1.8e308',
  '5e-324',
  '1e-320',
  '.inf',
  '-.inf',
  '.nan',
  '0',
  '-0',
  '1e300usd',
  '1e308%',
  '99999999999999999999999',
);
const date = fc.constantFrom(
  '0024-01-01',
  '2024-02-30',
  '2024-01-01T00:00+99:99',
  '2024-01-01T24:00',
  '9999-12-31',
  '2024-01-01',
);
const scalar = fc.oneof(
  hugeNumber,
  date,
  fc.constantFrom('ETH', 'BTC', 'core', 'PERP', 'all', 'null', '~', '""', "'x'"),
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
);
/** A flow value: scalars, mappings with hostile keys, lists, nested up to `depth`. */
const flow: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc
      .array(fc.tuple(key, tie('value')), { maxLength: 4 })
      .map((kv) => `{ ${kv.map(([k, v]) => `${k}: ${v}`).join(', ')} }`),
    fc.array(tie('value'), { maxLength: 4 }).map((vs) => `[${vs.join(', ')}]`),
  ),
})).value;
const deep = fc
  .integer({ min: 1, max: 3 * MAX_CELL_NESTING })
  .map((d) => `${'['.repeat(d)}1${']'.repeat(d)}`);
const aliases = fc.integer({ min: 1, max: 12 }).map((w) => {
  const list = (x: string) => `[${Array.from({ length: w }, () => x).join(',')}]`;
  return `a: &a ${list('x')}\nb: &b ${list('*a')}\nc: ${list('*b')}`;
});
const head = fc.constantFrom(
  'portfolio: p',
  'portfolio: core',
  'instrument: I',
  'hedge: core\nwith: PERP',
  'pair: x',
  'betas: core',
  'benchmark: BTC',
  'prices: d2\nfile: x.csv',
  '__proto__: 1',
  'constructor:',
);
const line = fc.oneof(
  fc.tuple(key, flow).map(([k, v]) => `${k}: ${v}`),
  fc.tuple(key, deep).map(([k, v]) => `${k}: ${v}`),
  fc.tuple(key, fc.constantFrom('&h', '*h', '&h {ETH: 1}', '*nope')).map(([k, v]) => `${k}: ${v}`),
  aliases,
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const hostileCell = fc
  .tuple(head, fc.array(line, { maxLength: 5 }))
  .map(([h, ls]) => [h, ...ls].join('\n'));

describe('hostile cells: generated (property tests)', () => {
  it('checkCell never throws and every problem is located inside the cell', () => {
    fc.assert(
      fc.property(hostileCell, (text) => {
        const t = performance.now();
        const problems = checkCell(text);
        assertLocated(text, problems);
        assert.ok(performance.now() - t < 5_000, 'one cell took over 5 s to check');
      }),
      { numRuns: 400 },
    );
  });

  it("the editor's language service never throws on them and locates every problem", () => {
    fc.assert(
      fc.property(
        fc.array(hostileCell, { minLength: 1, maxLength: 4 }),
        fc.nat(),
        (texts, seed) => {
          const cells = [...BASE, ...texts.map((t, i) => code(`h${i}`, t))];
          const model = analyzeNotebook(cells);
          const problems = notebookProblems(model);
          for (const c of cells) {
            assertLocated(c.text, problems.get(c.id) ?? []);
            const lines = c.text.split('\n');
            const line = seed % lines.length;
            const column = seed % ((lines[line]?.length ?? 0) + 1);
            hover(model, c.id, { line, column });
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a notebook of hostile cells runs: no throw, no internal error, every failure located', async () => {
    const e = env(['constructor']);
    await fc.assert(
      fc.asyncProperty(fc.array(hostileCell, { minLength: 1, maxLength: 4 }), async (texts) => {
        const cells = [...BASE, ...texts.map((t, i) => code(`h${i}`, t))];
        const t = performance.now();
        const runs = await evaluateNotebook(cells, e);
        assert.ok(performance.now() - t < 10_000, 'a small notebook took over 10 s');
        for (const run of runs) {
          const text = cells.find((c) => c.id === run.id)?.text ?? '';
          assert.ok(run.status === 'ok' || run.problems.length > 0, `${run.id} failed silently`);
          assert.ok(!codes(run.problems).includes('internal_error'), JSON.stringify(run.problems));
          assertLocated(text, run.problems);
          for (const r of run.results)
            assert.ok(!JSON.stringify(r).includes('null,"positions"'), 'a portfolio value of null');
        }
      }),
      { numRuns: 150 },
    );
  });
});
