import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkCell, validateCell } from '../../src/notebook/check';
import { parseCell } from '../../src/notebook/parse';
import {
  parseDate,
  parseFrequency,
  parseHolding,
  parsePercent,
  parseUsd,
  parseWindow,
} from '../../src/notebook/schemas';

/** [line, startColumn, endColumn] of a one-line range, 0-based. */
type At = [number, number, number];

/** Asserts the cell has exactly one problem, with this code, message part and place. */
function expectProblem(text: string, code: string, message: string | RegExp, at: At) {
  const problems = checkCell(text);
  assert.equal(problems.length, 1, JSON.stringify(problems, null, 1));
  const [p] = problems;
  assert.equal(p?.code, code);
  if (typeof message === 'string') assert.equal(p?.message, message);
  else assert.match(p?.message ?? '', message);
  assert.deepEqual(p?.range, {
    startLine: at[0],
    startColumn: at[1],
    endLine: at[0],
    endColumn: at[2],
  });
}

function expectValid(text: string) {
  assert.deepEqual(checkCell(text), []);
  const { spec } = validateCell(parseCell(text));
  assert.ok(spec);
  return spec;
}

describe('cell language: prices', () => {
  it('accepts a named dataset with a file', () => {
    const spec = expectValid('prices: daily\nfile: data/daily.csv\n');
    assert.deepEqual(spec, {
      kind: 'prices',
      name: 'daily',
      file: 'data/daily.csv',
      exchange: null,
      assets: null,
      start: null,
      end: null,
    });
  });
  it('accepts a file path as the head and names the dataset after the file', () => {
    const spec = expectValid('prices: data/hourly.csv');
    assert.equal(spec.kind === 'prices' && spec.name, 'hourly');
  });
  it('accepts the inline form of the design sketch', () => {
    const spec = expectValid('prices:\n  file: data/daily.csv\n');
    assert.equal(spec.kind === 'prices' && spec.file, 'data/daily.csv');
  });
  it('restricts assets and dates when asked', () => {
    const spec = expectValid(
      'prices: d\nfile: x.csv\nassets: [BTC, ETH]\nstart: 2024-01-01\nend: 2024-06-30',
    );
    assert.ok(spec.kind === 'prices');
    assert.deepEqual(spec.assets, ['BTC', 'ETH']);
    assert.equal(spec.start, Date.UTC(2024, 0, 1));
  });
  it('reads an exchange source, with default symbols per market', () => {
    const spec = expectValid(
      'prices: live\nexchange: binance\nmarket: inverse\ninterval: 4h\nassets: [BTC, ETH]\nstart: 2025-01-01',
    );
    assert.ok(spec.kind === 'prices');
    assert.deepEqual(spec.exchange, {
      exchange: 'binance',
      market: 'inverse',
      interval: '4h',
      symbols: [
        { asset: 'BTC', symbol: 'BTCUSD_PERP' },
        { asset: 'ETH', symbol: 'ETHUSD_PERP' },
      ],
    });
    const bybit = expectValid(
      'prices: b\nexchange: bybit\nsymbols: { BTC: BTCUSDT }\nstart: 2025-01-01',
    );
    assert.ok(bybit.kind === 'prices');
    assert.equal(bybit.exchange?.interval, '1d');
  });
  it('refuses a file and an exchange together', () => {
    expectProblem(
      'prices: x\nfile: a.csv\nexchange: binance',
      'file_or_exchange',
      /not both/,
      [2, 10, 17],
    );
  });
  it('needs a start for an exchange source', () => {
    expectProblem(
      'prices: x\nexchange: bybit\nassets: [BTC]',
      'missing_key',
      /needs 'start'/,
      [0, 0, 9],
    );
  });
  it('says exchange keys need an exchange', () => {
    expectProblem(
      'prices: x\nfile: a.csv\ninterval: 1h',
      'exchange_only',
      /only an exchange/,
      [2, 10, 12],
    );
  });
  it('needs a file', () => {
    expectProblem('prices: daily', 'missing_key', /a prices cell needs 'file'/, [0, 0, 13]);
  });
  it('locates a bad date at its value', () => {
    expectProblem(
      'prices: d\nfile: x.csv\nstart: yesterday',
      'expected_date',
      /^start: expected a date such as 2026-12-25 \(UTC\) or an ISO time .*, got 'yesterday'$/,
      [2, 7, 16],
    );
  });
  it('refuses an end before the start', () => {
    expectProblem(
      'prices: d\nfile: x.csv\nstart: 2024-02-01\nend: 2024-01-01',
      'start_after_end',
      /end must be after the start/,
      [3, 5, 15],
    );
  });
});

describe('cell language: settings', () => {
  it('starts with benchmark, as in the design sketch', () => {
    const spec = expectValid('benchmark: BTC\nreturns: log\nwindow: 180d');
    assert.ok(spec.kind === 'settings');
    assert.deepEqual(spec.benchmark, [{ asset: 'BTC', weight: 1 }]);
    assert.equal(spec.returns, 'log');
    assert.deepEqual(spec.window, { kind: 'time', ms: 180 * 86_400_000, text: '180d' });
  });
  it('accepts a weighted basket benchmark in percent', () => {
    const spec = expectValid('settings:\nbenchmark: { BTC: 60%, ETH: 40% }');
    assert.ok(spec.kind === 'settings');
    assert.deepEqual(spec.benchmark, [
      { asset: 'BTC', weight: 0.6 },
      { asset: 'ETH', weight: 0.4 },
    ]);
  });
  it('fills defaults: BTC, simple returns, the whole sample, the data frequency', () => {
    const spec = expectValid('returns: simple');
    assert.ok(spec.kind === 'settings');
    assert.deepEqual(spec.benchmark, [{ asset: 'BTC', weight: 1 }]);
    assert.deepEqual(spec.window, { kind: 'all' });
    assert.deepEqual(spec.frequency, { label: 'auto', ms: null });
  });
  it('takes a window in periods and a frequency word', () => {
    const spec = expectValid('window: 500\nfrequency: daily');
    assert.ok(spec.kind === 'settings');
    assert.deepEqual(spec.window, { kind: 'periods', periods: 500 });
    assert.deepEqual(spec.frequency, { label: '1d', ms: 86_400_000 });
  });
  it('refuses basket weights that do not add up to 100%', () => {
    expectProblem(
      'benchmark: { BTC: 60%, ETH: 30% }',
      'benchmark_weights_sum',
      'benchmark: the weights add up to 90%: they must add up to 100%',
      [0, 11, 33],
    );
  });
  it('suggests the closest returns kind', () => {
    expectProblem(
      'benchmark: BTC\nreturns: lgo',
      'expected_one_of',
      "returns: expected simple or log, got 'lgo'; did you mean log?",
      [1, 9, 12],
    );
  });
  it('locates a bad window', () => {
    expectProblem(
      'window: 180x',
      'expected_window',
      /window: expected all, .* got '180x'/,
      [0, 8, 12],
    );
  });
  it('refuses an unknown frequency', () => {
    expectProblem('frequency: 3d', 'expected_frequency', /got '3d'/, [0, 11, 13]);
  });
});

describe('cell language: portfolio', () => {
  it('accepts units, USD amounts in both spellings and explicit units', () => {
    const spec = expectValid(
      'portfolio: core\nholdings: { ETH: 40, SOL: 500, BTC: 0.5, UNI: { usd: 20000 }, AAVE: 5000usd, LINK: { units: 100 } }',
    );
    assert.ok(spec.kind === 'portfolio');
    assert.equal(spec.name, 'core');
    assert.deepEqual(
      spec.holdings.map((h) => [h.asset, h.holding]),
      [
        ['ETH', { units: 40 }],
        ['SOL', { units: 500 }],
        ['BTC', { units: 0.5 }],
        ['UNI', { usd: 20000 }],
        ['AAVE', { usd: 5000 }],
        ['LINK', { units: 100 }],
      ],
    );
  });
  it('accepts weights with a total value', () => {
    const spec = expectValid('portfolio: p\nvalue: 100k usd\nholdings: { BTC: 60%, ETH: 40% }');
    assert.ok(spec.kind === 'portfolio');
    assert.equal(spec.value, 100_000);
  });
  it('explains a holding that is not an amount, at the value', () => {
    expectProblem(
      'portfolio: core\nholdings:\n  ETH: 40\n  SOL: five hundred\n',
      'expected_holding',
      "holdings.SOL: expected a number of units or { usd: number } (also 20000usd, 25% or { weight: 25% }), got 'five hundred'",
      [3, 7, 19],
    );
  });
  it('refuses weights without a total value', () => {
    expectProblem(
      'portfolio: p\nholdings: { BTC: 60%, ETH: 40% }',
      'weights_need_value',
      /add value: 100000usd/,
      [1, 10, 32],
    );
  });
  it('refuses weights mixed with units', () => {
    expectProblem(
      'portfolio: p\nvalue: 1000usd\nholdings: { BTC: 60%, ETH: 4 }',
      'mixed_weights',
      /mixing weights/,
      [2, 10, 30],
    );
  });
  it('needs a name', () => {
    expectProblem(
      'portfolio:\nholdings: { BTC: 1 }',
      'expected_name',
      /portfolio: expected a name .*got nothing/,
      [0, 0, 9],
    );
  });
  it('reports a zero holding', () => {
    expectProblem('portfolio: p\nholdings: { BTC: 0 }', 'expected_holding', /got 0$/, [1, 17, 18]);
  });
});

describe('cell language: instrument', () => {
  it('accepts a linear perpetual with defaults filled', () => {
    const spec = expectValid('instrument: BTCUSDT-PERP\ncontract_size: 0.001');
    assert.deepEqual(spec, {
      kind: 'instrument',
      name: 'BTCUSDT-PERP',
      type: 'perpetual',
      settlement: 'linear',
      underlying: null,
      contractSize: 0.001,
      lotStep: 1,
      expiry: null,
      maintenanceMarginRate: 0.004,
      brackets: null,
      liquidationRule: 'binance',
      beta: null,
      data: null,
    });
  });
  it('accepts a shipped bracket table by name', () => {
    const spec = expectValid('instrument: BTCUSDT-PERP\nbrackets: binance-btcusdt');
    assert.ok(spec.kind === 'instrument');
    assert.deepEqual(spec.brackets, { kind: 'table', name: 'binance-btcusdt' });
  });
  it('accepts brackets written in the cell, amounts optional', () => {
    const spec = expectValid(
      'instrument: X\nbrackets:\n  - { up_to: 50000usd, rate: 0.4%, max_leverage: 125 }\n  - { up_to: 250000usd, rate: 0.5%, amount: 50 }\nliquidation_rule: bybit',
    );
    assert.ok(spec.kind === 'instrument');
    assert.deepEqual(spec.brackets, {
      kind: 'custom',
      rows: [
        { cap: 50_000, rate: 0.004, maxLeverage: 125 },
        { cap: 250_000, rate: 0.005, amount: 50 },
      ],
    });
    assert.equal(spec.liquidationRule, 'bybit');
  });
  it('names the shipped tables when a bracket table is unknown', () => {
    expectProblem(
      'instrument: X\nbrackets: binance-btcusd',
      'unknown_bracket_table',
      /did you mean binance-btcusdt\?.*shipped tables: binance-btcusdt, binance-ethusdt/,
      [1, 10, 24],
    );
  });
  it('points at the bracket key that is wrong', () => {
    expectProblem(
      'instrument: X\nbrackets:\n  - { up_to: 50000usd, rates: 0.4% }',
      'unknown_bracket_key',
      /unknown key 'rates' in a bracket; did you mean rate\?/,
      [2, 23, 28],
    );
    expectProblem(
      'instrument: X\nbrackets:\n  - { up_to: 50000usd, rate: 140% }',
      'expected_rate',
      /brackets\[0\]\.rate: expected a rate/,
      [2, 29, 33],
    );
  });
  it('refuses a single rate and brackets together', () => {
    expectProblem(
      'instrument: X\nbrackets: binance-btcusdt\nmaintenance_margin: 0.4%',
      'brackets_or_rate',
      /either maintenance_margin .* or brackets/,
      [2, 20, 24],
    );
  });
  it('accepts an inverse dated future with its expiry and margin rate', () => {
    const spec = expectValid(
      'instrument: BTCUSD-261225\ntype: future\nsettlement: inverse\nunderlying: BTC\ncontract_size: 100\nexpiry: 2026-12-25\nmaintenance_margin: 0.5%',
    );
    assert.ok(spec.kind === 'instrument');
    assert.equal(spec.expiry, Date.UTC(2026, 11, 25));
    assert.equal(spec.maintenanceMarginRate, 0.005);
  });
  it('needs an expiry for a future', () => {
    expectProblem('instrument: X\ntype: future', 'future_needs_expiry', /add expiry/, [1, 6, 12]);
  });
  it('refuses an expiry on a perpetual', () => {
    expectProblem(
      'instrument: X\nexpiry: 2026-12-25',
      'perpetual_has_no_expiry',
      /a perpetual has no expiry/,
      [1, 8, 18],
    );
  });
  it('suggests the settlement a trader meant', () => {
    expectProblem(
      'instrument: X\nsettlement: inverted',
      'expected_one_of',
      "settlement: expected linear or inverse, got 'inverted'; did you mean inverse?",
      [1, 12, 20],
    );
  });
  it('refuses a negative contract size', () => {
    expectProblem(
      'instrument: X\ncontract_size: -1',
      'expected_contract_size',
      /^contract_size: expected a contract size between 0\.000000001 and 1,000,000,000 .*, got -1$/,
      [1, 15, 17],
    );
  });
  it('refuses a denormal or absurd contract size or lot step instead of sizing nothing', () => {
    for (const [key, v] of [
      ['contract_size', '1e-320'],
      ['contract_size', '5e-324'],
      ['contract_size', '1e+30'],
      ['lot_step', '1e-320'],
      ['lot_step', '1e+300'],
    ] as const)
      expectProblem(
        `instrument: X\n${key}: ${v}`,
        key === 'lot_step' ? 'expected_lot_step' : 'expected_contract_size',
        new RegExp(
          `^${key}: expected a .* between 0\\.000000001 and 1,000,000,000 .*got ${v.replace('+', '\\+')}$`,
        ),
        [1, key.length + 2, key.length + 2 + v.length],
      );
  });
});

describe('cell language: betas, hedge and pair', () => {
  it('takes a portfolio, all, or a list of assets as the betas target', () => {
    const a = expectValid('betas: core');
    const b = expectValid('betas: all');
    const c = expectValid('betas: [ETH, SOL]\newma_half_life: 30');
    assert.deepEqual(a.kind === 'betas' && a.target, { kind: 'portfolio', name: 'core' });
    assert.deepEqual(b.kind === 'betas' && b.target, { kind: 'all' });
    assert.deepEqual(c.kind === 'betas' && c.target, { kind: 'assets', assets: ['ETH', 'SOL'] });
  });
  it('sizes a hedge with defaults target 0 and leverage 1', () => {
    const spec = expectValid('hedge: core\nwith: BTCUSDT-PERP');
    assert.deepEqual(spec, {
      kind: 'hedge',
      portfolio: 'core',
      instrument: 'BTCUSDT-PERP',
      targetBeta: 0,
      leverage: 1,
      data: null,
    });
  });
  it('needs the instrument to hedge with', () => {
    expectProblem(
      'hedge: core\ntarget_beta: 0.5',
      'missing_key',
      /a hedge cell needs 'with'/,
      [0, 0, 11],
    );
  });
  it('refuses leverage above what exchanges offer', () => {
    expectProblem(
      'hedge: core\nwith: X\nleverage: 500',
      'expected_leverage',
      /got 500/,
      [2, 10, 13],
    );
  });
  it('refuses a target beta written as words', () => {
    expectProblem(
      'hedge: core\nwith: X\ntarget_beta: half',
      'expected_number',
      "target_beta: expected a number, got 'half'",
      [2, 13, 17],
    );
  });
  it('accepts the pair of the design sketch, named after its legs', () => {
    const spec = expectValid(
      'pair: { long: { SOL: 10000usd }, short: { ETH: 10000usd } }\nhedge_with: BTCUSDT-PERP',
    );
    assert.deepEqual(spec, {
      kind: 'pair',
      name: 'SOL/ETH',
      long: { asset: 'SOL', amount: { usd: 10000 } },
      short: { asset: 'ETH', amount: { usd: 10000 } },
      instrument: 'BTCUSDT-PERP',
      leverage: null,
      data: null,
    });
  });
  it('accepts a named pair with legs in units', () => {
    const spec = expectValid('pair: sol-eth\nlong: { SOL: 50 }\nshort: { ETH: { usd: 8000 } }');
    assert.equal(spec.kind === 'pair' && spec.name, 'sol-eth');
  });
  it('locates a pair leg inside the inline form', () => {
    expectProblem(
      'pair: { long: { SOL: 10000usd }, short: { ETH: lots } }',
      'expected_leg',
      /short: expected one asset with an amount/,
      [0, 40, 53],
    );
  });
  it('refuses a leg with two assets', () => {
    expectProblem(
      'pair: p\nlong: { SOL: 1, ETH: 2 }\nshort: { BTC: 1 }',
      'expected_leg',
      /long:/,
      [1, 6, 24],
    );
  });
  it('refuses the same asset on both legs', () => {
    expectProblem(
      'pair: p\nlong: { SOL: 1 }\nshort: { SOL: 2 }',
      'pair_same_asset',
      /both legs/,
      [2, 7, 17],
    );
  });
});

describe('cell language: structure, unknown keys and syntax', () => {
  it('suggests the key a trader meant for an unknown key, at the key', () => {
    const problems = checkCell('portfolio: core\nholdings: { ETH: 1 }\nvalu: 10usd');
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.code, 'unknown_key');
    assert.equal(
      problems[0]?.message,
      "unknown key 'valu' in a portfolio cell; did you mean value? (keys: holdings, value, data)",
    );
    assert.deepEqual(problems[0]?.range, {
      startLine: 2,
      startColumn: 0,
      endLine: 2,
      endColumn: 4,
    });
  });
  it('lists the keys when nothing is close', () => {
    expectProblem(
      'hedge: core\nwith: X\ncolour: red',
      'unknown_key',
      "unknown key 'colour' in a hedge cell (keys: with, target_beta, leverage, data)",
      [2, 0, 6],
    );
  });
  it('lists the known kinds for an unknown kind', () => {
    expectProblem(
      'portfolo: core',
      'unknown_kind',
      "unknown cell kind 'portfolo'; did you mean portfolio?; known kinds: prices, settings (or benchmark/returns/window/frequency), portfolio, instrument, betas, hedge, pair, funding, simulate, stress, basis and position",
      [0, 0, 8],
    );
  });
  it('locates a YAML syntax error', () => {
    const problems = checkCell('portfolio: core\nholdings: { ETH: 1\n');
    assert.ok(problems.length >= 1);
    assert.equal(problems[0]?.code, 'yaml_syntax');
    assert.match(problems[0]?.message ?? '', /^YAML syntax error: /);
    assert.deepEqual(problems[0]?.range, {
      startLine: 1,
      startColumn: 17,
      endLine: 1,
      endColumn: 18,
    });
  });
  it('reports a key given twice', () => {
    const problems = checkCell('hedge: a\nwith: X\nwith: Y');
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.range.startLine, 2);
  });
  it('refuses a cell that is not a mapping', () => {
    const problems = checkCell('- BTC\n- ETH');
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.code, 'not_a_mapping');
    assert.deepEqual(problems[0]?.range, {
      startLine: 0,
      startColumn: 0,
      endLine: 1,
      endColumn: 5,
    });
  });
  it('asks to split several documents into cells', () => {
    expectProblem(
      'betas: all\n---\nbetas: core',
      'several_documents',
      /2 YAML documents/,
      [2, 0, 11],
    );
  });
  it('treats comments and blank lines as an empty cell', () => {
    assert.deepEqual(checkCell('# notes\n\n'), []);
    assert.equal(parseCell('').empty, true);
  });
  it('reports wrong types at the value, not the key', () => {
    expectProblem(
      'prices: d\nfile: x.csv\nassets: BTC',
      'expected_asset_list',
      /got 'BTC'/,
      [2, 8, 11],
    );
  });
});

describe('cell language: value notation', () => {
  it('reads USD amounts the way traders write them', () => {
    assert.equal(parseUsd('10000usd'), 10000);
    assert.equal(parseUsd('10,000 USD'), 10000);
    assert.equal(parseUsd('$2.5k'), 2500);
    assert.equal(parseUsd('1.5m usd'), 1_500_000);
    assert.equal(parseUsd('1000', false), undefined);
    assert.equal(parseUsd('ten usd'), undefined);
  });
  it('reads percentages as fractions', () => {
    assert.equal(parsePercent('-30%'), -0.3);
    assert.equal(parsePercent('0.4%'), 0.004);
    assert.equal(parsePercent('30'), undefined);
  });
  it('reads windows in periods or time', () => {
    assert.deepEqual(parseWindow(500), { kind: 'periods', periods: 500 });
    assert.deepEqual(parseWindow('720h'), { kind: 'time', ms: 720 * 3_600_000, text: '720h' });
    assert.deepEqual(parseWindow('all'), { kind: 'all' });
    assert.equal(parseWindow(2), undefined);
  });
  it('reads frequencies and dates', () => {
    assert.deepEqual(parseFrequency('4h'), { label: '4h', ms: 4 * 3_600_000 });
    assert.equal(parseFrequency('3d'), undefined);
    assert.equal(parseDate('2024-03-01T12:00'), Date.UTC(2024, 2, 1, 12));
    assert.equal(parseDate('01/03/2024'), undefined);
  });
  it('reads holdings in every documented notation', () => {
    assert.deepEqual(parseHolding(500), { units: 500 });
    assert.deepEqual(parseHolding('20000usd'), { usd: 20000 });
    assert.deepEqual(parseHolding({ usd: '20k usd' }), { usd: 20000 });
    assert.deepEqual(parseHolding('25%'), { weight: 0.25 });
    assert.deepEqual(parseHolding({ weight: 0.25 }), { weight: 0.25 });
    assert.equal(parseHolding('five hundred'), undefined);
    assert.equal(parseHolding({ usd: 1, units: 2 }), undefined);
  });
});
