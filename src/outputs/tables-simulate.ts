/** Table models of funding and simulate results (see tables.ts for the model): the simulation's
 *  summary, its cost breakdown in USD and % per year, the trades and events (bounded samples,
 *  with counts), and the compared rules. */
import type { FundingResult, SimulateResult } from '../results';
import { fmtCount, fmtNum, fmtPct, fmtPrice, fmtUsd, timeFormatter } from './format';
import type { TableModel } from './tables';

const L = (label: string) => ({ label, align: 'left' as const });
const R = (label: string) => ({ label, align: 'right' as const });

const REASONS: Record<string, string> = {
  open: 'open',
  schedule: 'schedule',
  band: 'band',
  reopen: 're-open',
  roll: 'roll',
  stop: 'stop-loss',
  liquidation: 'liquidation',
  expiry: 'expiry',
};
const EVENTS: Record<string, string> = {
  liquidation: 'Liquidation (margin lost)',
  stop: 'Stop-loss (P&L since the last trade)',
  roll: 'Roll (fees, slippage, roll cost)',
  expiry: 'Expiry, no roll (P&L since the last trade)',
  margin_shortfall: 'Collateral short (margin missing)',
};

export function fundingTables(result: FundingResult): TableModel[] {
  const when = timeFormatter(result.symbols.flatMap((s) => [s.first, s.last]));
  return [
    {
      id: 'funding-symbols',
      title: 'Funding rates (per interval; positive = longs pay shorts)',
      columns: [
        L('Symbol'),
        R('Settlements'),
        L('From'),
        L('To'),
        R('Every'),
        R('Mean'),
        R('Mean / year'),
        R('Min'),
        R('Max'),
        R('Positive'),
        R('Gaps'),
      ],
      rows: result.symbols.map((s) => [
        s.symbol,
        fmtCount(s.settlements),
        when(s.first),
        when(s.last),
        `${fmtCount(s.intervalHours)} h`,
        fmtPct(s.mean, 4),
        fmtPct(s.meanAnnual),
        fmtPct(s.min, 4),
        fmtPct(s.max, 4),
        fmtPct(s.positiveShare, 0),
        fmtCount(s.gaps),
      ]),
    },
  ];
}

export function simulateTables(result: SimulateResult): TableModel[] {
  const r = result.rule;
  const c = result.costs;
  const h = result.hedged;
  const u = result.unhedged;
  const tables: TableModel[] = [
    {
      id: 'simulate-summary',
      title: `Hedged vs unhedged: ${result.period.start.slice(0, 10)} to ${result.period.end.slice(0, 10)} (${fmtCount(result.period.bars)} bars, ${fmtNum(result.period.years, 2)} years)`,
      columns: [L(''), R('Hedged'), R('Unhedged')],
      rows: [
        ['Equity at the start', fmtUsd(h.start), fmtUsd(u.start)],
        ['Equity at the end', fmtUsd(h.end), fmtUsd(u.end)],
        ['Total return', fmtPct(h.totalReturn), fmtPct(u.totalReturn)],
        ['Volatility (annual)', fmtPct(h.volAnnual), fmtPct(u.volAnnual)],
        ['Max drawdown', fmtPct(h.maxDrawdown), fmtPct(u.maxDrawdown)],
        [`Realised beta to ${result.benchmark}`, fmtNum(h.realisedBeta), fmtNum(u.realisedBeta)],
        ['Hedge effectiveness (out of sample)', fmtPct(result.effectiveness), ''],
        [
          `Tracking error of the beta (target ${fmtNum(r.targetBeta, 2)})`,
          fmtNum(result.trackingError),
          '',
        ],
      ],
    },
    {
      id: 'simulate-costs',
      title: `Where the books part: USD (− takes from the hedged book) and % per year of the average spot value (${fmtUsd(result.meanValue)})`,
      columns: [L('Item'), R('USD'), R('% / year')],
      rows: [
        ['Hedge P&L (price, marked at closes)', fmtUsd(result.hedgePnl), ''],
        ['Fees', fmtUsd(-c.fees.usd), fmtPct(-c.fees.pctPerYear, 3)],
        ['Slippage', fmtUsd(-c.slippage.usd), fmtPct(-c.slippage.pctPerYear, 3)],
        ['Funding paid', fmtUsd(-c.fundingPaid.usd), fmtPct(-c.fundingPaid.pctPerYear, 3)],
        [
          'Funding received',
          fmtUsd(c.fundingReceived.usd),
          fmtPct(c.fundingReceived.pctPerYear, 3),
        ],
        ['Roll costs', fmtUsd(-c.rollCosts.usd), fmtPct(-c.rollCosts.pctPerYear, 3)],
        [
          'Liquidation losses (margin forfeited)',
          fmtUsd(-c.liquidationLosses.usd),
          fmtPct(-c.liquidationLosses.pctPerYear, 3),
        ],
        ['Costs and funding, net', fmtUsd(-c.net.usd), fmtPct(-c.net.pctPerYear, 3)],
        ['Hedged − unhedged at the end (all of the above)', fmtUsd(h.end - u.end), ''],
      ],
    },
    {
      id: 'simulate-rule',
      title: `The rule: ${result.instrument} (${result.instrumentType}, ${result.settlement})`,
      columns: [L('Setting'), R('Value')],
      rows: [
        ['Target beta', fmtNum(r.targetBeta, 2)],
        ['Estimation window', `${r.windowLabel} (${fmtCount(r.window)} returns, trailing)`],
        ['Rebalance', r.rebalance],
        ['Band', r.band > 0 ? `±${fmtNum(r.band, 3)}` : 'none (always re-size)'],
        ...(r.minTrade > 0 ? [['Minimum trade', fmtUsd(r.minTrade)]] : []),
        ['Leverage', `${fmtNum(r.leverage, 1)}x isolated`],
        [
          'Collateral',
          `${fmtUsd(r.collateral)}${r.collateralDefault ? " (the first hedge's notional)" : ''}`,
        ],
        ['Fees / slippage', `${fmtPct(r.fees, 3)} / ${fmtPct(r.slippage, 3)}`],
        ['Funding', r.funding],
        ...(result.instrumentType === 'future'
          ? [
              [
                'Roll',
                r.roll
                  ? `${fmtCount(r.roll.days)} days before expiry, cost ${fmtPct(r.roll.cost, 3)}`
                  : 'none: settles at expiry',
              ],
            ]
          : []),
        [
          'Maintenance margin',
          r.brackets
            ? `${r.brackets} brackets (from ${fmtPct(r.maintenanceMarginRate)})`
            : fmtPct(r.maintenanceMarginRate),
        ],
        ['Stop-loss', r.stopLoss === null ? 'none' : fmtPct(r.stopLoss)],
        [
          'After a liquidation or stop',
          r.onLiquidation === 'reopen' ? 're-open at the next rebalance' : 'stay out',
        ],
      ],
    },
    {
      id: 'simulate-counts',
      title: 'What happened',
      columns: [L('Event'), R('Count')],
      // trades and re-sizes always; the rest when it happened
      rows: (
        [
          ['Trades', result.counts.trades, true],
          ['Re-sizes (open, schedule, band, re-open)', result.counts.rebalances, true],
          ['Liquidations', result.counts.liquidations, r.leverage > 1],
          ['Stop-losses', result.counts.stops, r.stopLoss !== null],
          ['Rolls', result.counts.rolls, result.instrumentType === 'future'],
          ['Expiries without roll', result.counts.expiries, result.instrumentType === 'future'],
          ['Collateral short at a trade', result.counts.marginShortfalls, false],
          ['Rebalances skipped (no beta)', result.counts.skippedDecisions, false],
        ] as [string, number, boolean][]
      )
        .filter(([, n, always]) => always || n > 0)
        .map(([k, n]) => [k, fmtCount(n)]),
    },
  ];
  const eventTime = timeFormatter(result.events.rows.map((e) => e.time));
  const tradeTime = timeFormatter(result.trades.rows.map((t) => t.time));
  if (result.events.rows.length > 0)
    tables.push({
      id: 'simulate-events',
      title:
        result.events.count > result.events.rows.length
          ? `Events (the first ${result.events.rows.length} of ${fmtCount(result.events.count)})`
          : 'Events',
      columns: [L('Time'), L('Event'), R('Price'), R('USD')],
      rows: result.events.rows.map((e) => [
        eventTime(e.time),
        EVENTS[e.kind] ?? e.kind,
        fmtPrice(e.price),
        fmtUsd(e.amount),
      ]),
    });
  if (result.trades.rows.length > 0)
    tables.push({
      id: 'simulate-trades',
      title:
        result.trades.count > result.trades.rows.length
          ? `Trades: the first, last and largest ${result.trades.rows.length} of ${fmtCount(result.trades.count)} (${Object.entries(
              result.trades.byReason,
            )
              .map(([k, v]) => `${fmtCount(v)} ${REASONS[k] ?? k}`)
              .join(', ')})`
          : 'Trades',
      columns: [
        L('Time'),
        L('Side'),
        R('Contracts'),
        R('Price'),
        R('Notional'),
        R('Fee'),
        R('Slippage'),
        L('Reason'),
        R('Held after'),
      ],
      rows: result.trades.rows.map((t) => [
        tradeTime(t.time),
        t.side,
        fmtCount(t.contracts),
        fmtPrice(t.price),
        fmtUsd(t.notional),
        fmtUsd(t.fee),
        fmtUsd(t.slippage),
        REASONS[t.reason] ?? t.reason,
        fmtCount(t.after),
      ]),
    });
  if (result.compare)
    tables.push({
      id: 'simulate-compare',
      title:
        'Rules compared: net cost per year (negative: funding earned more than the costs) vs tracking error of the beta',
      columns: [
        L('Rebalance'),
        R('Band'),
        R('Cost / year'),
        R('% / year'),
        R('Tracking error'),
        R('Trades'),
        R('Liquidations'),
      ],
      rows: result.compare.map((x) => [
        `${x.rebalance}${x.current ? ' (this cell)' : ''}`,
        x.band > 0 ? fmtNum(x.band, 3) : 'none',
        fmtUsd(x.costPerYear),
        fmtPct(x.costPctPerYear, 3),
        fmtNum(x.trackingError, 4),
        fmtCount(x.trades),
        fmtCount(x.liquidations),
      ]),
    });
  return tables;
}
