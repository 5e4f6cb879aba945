/** The key numbers of a result as table models: plain strings, already formatted. The same
 *  models become GitHub markdown (mime.ts), aligned plain text, and DOM tables in the renderer
 *  (built with textContent), so a number reads the same in every view. Nothing here escapes:
 *  each sink escapes for its own language. */
import type { CellResult } from '../results';
import { fundingTables, simulateTables } from './tables-simulate';
import { basisTables, positionTables, stressTables } from './tables-risk';
import {
  fmtCount,
  fmtNum,
  fmtPct,
  fmtPercentUnits,
  fmtPrice,
  fmtUnits,
  fmtUsd,
  plural,
  timeFormatter,
} from './format';

export type Align = 'left' | 'right';

export interface TableModel {
  readonly id: string;
  readonly title: string;
  readonly columns: readonly { readonly label: string; readonly align: Align }[];
  readonly rows: readonly (readonly string[])[];
}

const L = (label: string) => ({ label, align: 'left' as const });
const R = (label: string) => ({ label, align: 'right' as const });

function fields(id: string, title: string, rows: [string, string][]): TableModel {
  return { id, title, columns: [L('Field'), R('Value')], rows };
}

/** A short title for a result: 'Betas: core'. */
export function resultTitle(result: CellResult): string {
  const kind: Record<CellResult['kind'], string> = {
    prices: 'Prices',
    settings: 'Settings',
    portfolio: 'Portfolio',
    instrument: 'Instrument',
    betas: 'Betas',
    hedge: 'Hedge',
    pair: 'Pair',
    funding: 'Funding',
    simulate: 'Simulation',
    stress: 'Stress',
    basis: 'Choice of hedge',
    position: 'Position',
  };
  return `${kind[result.kind]}: ${result.name}`;
}

/** Every time a result shows, so they are all written at one precision (`timeFormatter`). */
function timesOf(result: CellResult): (string | null | undefined)[] {
  const own =
    result.kind === 'prices'
      ? result.last.map((p) => p.time)
      : result.kind === 'portfolio'
        ? [result.asOf]
        : result.kind === 'instrument'
          ? [result.expiry]
          : [];
  return [result.data?.start, result.data?.end, ...own];
}

/** The times of a result written as its data warrants: dates for daily data, date and time to
 *  the minute for intraday data ('2025-12-31 08:00 UTC'). */
export function resultTime(result: CellResult): (iso: string | null | undefined) => string {
  return timeFormatter(timesOf(result));
}

/** What data the result was computed on, in one line; null when the result does not say.
 *  'Data: data/daily.csv, 2024-12-31 to 2025-12-31 (366 rows)', or 'Data: data/daily.csv at
 *  2025-12-31 (1 row)' for a valuation at one time. */
export function provenanceLine(result: CellResult): string | null {
  const d = result.data;
  if (!d) return null;
  const time = resultTime(result);
  const span = d.start === d.end ? ` at ${time(d.start)}` : `, ${time(d.start)} to ${time(d.end)}`;
  return `Data: ${d.source}${span} (${plural(d.rows, 'row')})`;
}

const sideWord = (side: 'short' | 'long' | 'none') =>
  side === 'short' ? 'Sell (short)' : side === 'long' ? 'Buy (long)' : 'No trade';

/** The label of the hedge effectiveness: measured over the same returns the betas were
 *  estimated on, so it is in-sample (a walk-forward figure comes from the simulate cell). */
export const EFFECTIVENESS_LABEL = 'Hedge effectiveness (in-sample)';

export function buildTables(result: CellResult): TableModel[] {
  const time = resultTime(result);
  switch (result.kind) {
    case 'funding':
      return fundingTables(result);
    case 'simulate':
      return simulateTables(result);
    case 'prices':
      return [
        {
          id: 'prices-last',
          title: `Last prices (${result.frequency})${result.reused ? ' · data reused from memory (unchanged since last read)' : ''}`,
          columns: [L('Asset'), R('Price'), L('Time')],
          rows: result.last.map((p) => [p.asset, fmtPrice(p.price), time(p.time)]),
        },
      ];
    case 'settings':
      return [
        fields('settings', 'Settings', [
          [
            'Benchmark',
            result.benchmark
              .map((b) =>
                result.benchmark.length === 1 ? b.asset : `${fmtPct(b.weight, 0)} ${b.asset}`,
              )
              .join(' + '),
          ],
          ['Returns', result.returns],
          ['Window', result.window === null ? 'all' : plural(result.window, 'return')],
          ['Frequency', result.frequency],
        ]),
      ];
    case 'portfolio':
      return [
        {
          id: 'portfolio-positions',
          title: `Positions as of ${time(result.asOf)}`,
          columns: [L('Asset'), R('Units'), R('Price'), R('Value'), R('Weight')],
          rows: [
            ...result.positions.map((p) => [
              p.asset,
              fmtUnits(p.units),
              fmtPrice(p.price),
              fmtUsd(p.value),
              fmtPct(p.weight),
            ]),
            ['Total', '', '', fmtUsd(result.value), fmtPct(1)],
          ],
        },
      ];
    case 'instrument':
      return [
        fields('instrument', 'Instrument', [
          ['Type', `${result.type}, ${result.settlement}`],
          ['Underlying', result.underlying],
          [
            'Contract size',
            result.settlement === 'linear'
              ? `${fmtCount(result.contractSize)} ${result.underlying}`
              : `${fmtUsd(result.contractSize)}`,
          ],
          ['Lot step', fmtCount(result.lotStep)],
          ['Expiry', result.expiry === null ? 'none (perpetual)' : time(result.expiry)],
          ['Price', fmtPrice(result.price)],
          ['Beta', `${fmtNum(result.beta)} (${result.betaSource})`],
          [
            'Maintenance margin',
            result.brackets
              ? `${result.brackets.table} brackets (${result.brackets.rule} rule)`
              : `${fmtPct(result.maintenanceMarginRate)} (single rate)`,
          ],
        ]),
        ...(result.brackets
          ? [
              {
                id: 'instrument-brackets',
                title: `Maintenance brackets: ${result.brackets.source}`,
                columns: [
                  L('Bracket'),
                  R(
                    `Notional up to (${result.brackets.unit === 'usd' ? 'USD' : result.underlying})`,
                  ),
                  R('Maintenance rate'),
                  R('Maintenance amount'),
                  R('Max leverage'),
                ],
                rows: result.brackets.rows.map((b, k) => [
                  String(k + 1),
                  b.cap === null ? 'no cap' : fmtCount(b.cap),
                  fmtPct(b.rate, 2),
                  fmtCount(b.amount),
                  b.maxLeverage === null ? '—' : `${fmtCount(b.maxLeverage)}x`,
                ]),
              } satisfies TableModel,
            ]
          : []),
      ];
    case 'betas': {
      // The Weight column only when the cell is about a portfolio (betas: all has no weights).
      const weighted = result.rows.some((r) => r.weight !== null);
      const tables: TableModel[] = [
        {
          id: 'betas-stats',
          title: `Betas to ${result.benchmark} (${result.returns} returns, ${result.frequency})`,
          columns: [
            L('Asset'),
            R('Beta'),
            R('95% CI'),
            R('Alpha (ann., compounded)'),
            R('R²'),
            R('Corr'),
            R('SE'),
            R('n'),
            R('Vol (ann.)'),
            ...(weighted ? [R('Weight')] : []),
          ],
          rows: result.rows.map((r) => [
            r.asset,
            fmtNum(r.beta),
            r.ciLow === null || r.ciHigh === null
              ? '—'
              : `${fmtNum(r.ciLow)} to ${fmtNum(r.ciHigh)}`,
            fmtPct(r.alphaAnnual),
            fmtNum(r.r2),
            fmtNum(r.correlation),
            fmtNum(r.stdErr),
            fmtCount(r.n),
            fmtPct(r.volAnnual),
            ...(weighted ? [r.weight === null ? '—' : fmtPct(r.weight)] : []),
          ]),
        },
        {
          id: 'betas-adjusted',
          title: 'Other betas',
          columns: [L('Asset'), R('t-stat'), R('Downside'), R('Blume'), R('Vasicek'), R('EWMA')],
          rows: result.rows.map((r) => [
            r.asset,
            fmtNum(r.tStat, 2),
            fmtNum(r.downsideBeta),
            fmtNum(r.blumeBeta),
            fmtNum(r.vasicekBeta),
            fmtNum(r.ewmaBeta),
          ]),
        },
      ];
      if (result.portfolio) {
        const p = result.portfolio;
        tables.push(
          fields('betas-portfolio', `Portfolio ${p.name}`, [
            ['Value', fmtUsd(p.value)],
            ['Beta (Σ weight × beta)', fmtNum(p.betaWeighted)],
            ['Beta (regression of portfolio returns)', fmtNum(p.betaRegression)],
          ]),
        );
      }
      return tables;
    }
    case 'hedge':
      return [
        fields('hedge-ticket', `Hedge ticket: ${result.instrument}`, [
          ['Side', sideWord(result.side)],
          ['Contracts', fmtCount(result.contracts)],
          ['Instrument', `${result.instrument} (${result.settlement})`],
          ['Notional (contracts)', fmtUsd(result.contractNotional)],
          ['Notional (exact target)', fmtUsd(result.notional)],
          ['Price', fmtPrice(result.price)],
          ['Leverage', `${fmtNum(result.leverage, 1)}x`],
          ['Initial margin', fmtUsd(result.initialMargin)],
          [
            'Maintenance margin rate',
            result.bracket
              ? `${fmtPct(result.maintenanceMarginRate)} (bracket ${result.bracket.number} of ${result.bracket.table})`
              : fmtPct(result.maintenanceMarginRate),
          ],
          ...(result.bracket && result.maintenanceAmount !== 0
            ? ([
                [
                  'Maintenance amount',
                  result.settlement === 'linear'
                    ? fmtUsd(result.maintenanceAmount)
                    : `${fmtNum(result.maintenanceAmount)} coin`,
                ],
              ] as [string, string][])
            : []),
          ['Liquidation price', fmtPrice(result.liquidationPrice)],
          ['Distance to liquidation', fmtPercentUnits(result.liquidationMovePct)],
          ['Portfolio value', fmtUsd(result.portfolioValue)],
          ['Beta before', fmtNum(result.portfolioBeta)],
          ['Target beta', fmtNum(result.targetBeta)],
          ['Beta after', fmtNum(result.betaAfter)],
          ['Residual beta (after - target)', fmtNum(result.residualBeta)],
          ['Instrument beta', fmtNum(result.instrumentBeta)],
          ...(result.settlement === 'inverse'
            ? ([['Coin collateral exposure', fmtUsd(result.collateralExposure)]] as [
                string,
                string,
              ][])
            : []),
          [EFFECTIVENESS_LABEL, fmtPct(result.effectiveness)],
        ]),
        {
          id: 'hedge-exposure',
          title: 'Beta-weighted exposure (USD)',
          columns: [L('Position'), R('Before'), R('After')],
          rows: [
            ...result.exposures.map((e) => [e.label, fmtUsd(e.before), fmtUsd(e.after)]),
            [
              'Net',
              fmtUsd(result.exposures.reduce((s, e) => s + e.before, 0)),
              fmtUsd(result.exposures.reduce((s, e) => s + e.after, 0)),
            ],
          ],
        },
      ];
    case 'stress':
      return stressTables(result);
    case 'basis':
      return basisTables(result);
    case 'position':
      return positionTables(result);
    case 'pair': {
      const rows: string[][] = [
        [
          'Long',
          result.long.asset,
          fmtUsd(result.long.usd),
          fmtNum(result.long.beta),
          fmtUsd(result.long.dollarBeta),
        ],
        [
          'Short',
          result.short.asset,
          fmtUsd(result.short.usd),
          fmtNum(result.short.beta),
          fmtUsd(result.short.dollarBeta),
        ],
      ];
      if (result.hedge && result.instrument !== null) {
        rows.push([
          result.hedge.side === 'none'
            ? 'Hedge (no trade)'
            : `Hedge (${result.hedge.side} ${plural(Math.abs(result.hedge.contracts), 'contract')})`,
          result.instrument,
          fmtUsd(Math.abs(result.hedge.notional)),
          '',
          fmtUsd(result.hedge.dollarBetaAfter - result.dollarBeta),
        ]);
      }
      rows.push([
        'Residual',
        '',
        '',
        '',
        fmtUsd(result.hedge ? result.hedge.dollarBetaAfter : result.dollarBeta),
      ]);
      const m = result.hedge?.margin ?? null;
      return [
        {
          id: 'pair-legs',
          title: 'Pair legs (dollar beta = USD × beta)',
          columns: [L('Leg'), L('Asset'), R('USD'), R('Beta'), R('Dollar beta')],
          rows,
        },
        ...(m
          ? [
              fields('pair-margin', `Hedge leg margin (${result.instrument ?? ''}, isolated)`, [
                ['Initial margin', fmtUsd(m.initialMargin)],
                [
                  'Maintenance margin rate',
                  m.bracket
                    ? `${fmtPct(m.maintenanceMarginRate)} (bracket ${m.bracket.number} of ${m.bracket.table})`
                    : fmtPct(m.maintenanceMarginRate),
                ],
                ['Liquidation price', fmtPrice(m.liquidationPrice)],
                ['Distance to liquidation', fmtPercentUnits(m.liquidationMovePct)],
              ]),
            ]
          : []),
      ];
    }
  }
}
