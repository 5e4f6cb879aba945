/** Tables of the risk cells (stress, basis, position), as table models (tables.ts says how
 *  they become markdown, text and DOM). Plain strings, already formatted; nothing escaped. */
import type { BasisResult, PositionResult, StressResult } from '../results';
import {
  fmtCount,
  fmtNum,
  fmtPct,
  fmtPercentUnits,
  fmtPrice,
  fmtUsd,
  timeFormatter,
} from './format';
import type { TableModel } from './tables';

const L = (label: string) => ({ label, align: 'left' as const });
const R = (label: string) => ({ label, align: 'right' as const });
const signedPct = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${x > 0 ? '+' : ''}${fmtPct(x, 1)}`;
const bracketText = (b: { table: string; number: number } | null) =>
  b ? ` (bracket ${b.number} of ${b.table})` : '';

export function stressTables(r: StressResult): TableModel[] {
  const h = r.hedge;
  const when = timeFormatter(r.scenarios.flatMap((s) => [s.start, s.end]));
  const tables: TableModel[] = [];
  if (h)
    tables.push({
      id: 'stress-hedge',
      title: `Hedge leg stressed: ${h.instrument} (${h.source === 'position' ? 'held position' : 'sized as a hedge cell'})`,
      columns: [L('Field'), R('Value')],
      rows: [
        [
          'Side',
          `${h.side === 'short' ? 'Short' : 'Long'} ${fmtCount(h.contracts)} contracts (${h.settlement})`,
        ],
        ['Notional now', fmtUsd(h.notional)],
        ['Price now / entry', `${fmtPrice(h.price)} / ${fmtPrice(h.entryPrice)}`],
        ['Leverage, margin', `${fmtNum(h.leverage, 2)}x, ${fmtUsd(h.margin)}`],
        ['Maintenance margin rate', `${fmtPct(h.maintenanceMarginRate)}${bracketText(h.bracket)}`],
        ['Liquidation price', fmtPrice(h.liquidationPrice)],
        ['Distance to liquidation', fmtPercentUnits(h.liquidationMovePct)],
        [
          `Benchmark move that liquidates it`,
          r.liquidationBenchmarkMove === null ? '—' : signedPct(r.liquidationBenchmarkMove),
        ],
      ],
    });
  const hedged = h !== null;
  tables.push({
    id: 'stress-scenarios',
    title: `Scenarios: P&L of the $${fmtCount(Math.round(r.value))} book (benchmark ${r.benchmark})`,
    columns: [
      L('Scenario'),
      R('Benchmark'),
      R('Unhedged'),
      ...(hedged
        ? [
            R('Hedge'),
            R('Funding'),
            R('Hedged'),
            R('Hedged %'),
            R('Margin after'),
            R('To liquidation'),
            L('Liquidated'),
          ]
        : [R('Unhedged %')]),
    ],
    rows: r.scenarios.map((s) => [
      s.kind === 'historical' && s.start
        ? `${s.name} (${when(s.start)} to ${when(s.end)})`
        : s.name,
      signedPct(s.benchmarkMove),
      fmtUsd(s.unhedgedPnl),
      ...(hedged
        ? [
            fmtUsd(s.hedgePnl),
            s.fundingPnl === null ? '—' : fmtUsd(s.fundingPnl),
            fmtUsd(s.hedgedPnl),
            signedPct(s.hedgedPct),
            fmtUsd(s.marginAfter),
            s.liquidated ? '—' : fmtPercentUnits(s.distancePct, 1),
            s.liquidated ? 'LIQUIDATED' : 'no',
          ]
        : [signedPct(s.unhedgedPct)]),
    ]),
  });
  for (const b of r.breakdown)
    tables.push({
      id: `stress-breakdown-${b.scenario}`,
      title: `By position: ${b.scenario}`,
      columns: [L('Asset'), R('Value'), R('Move'), L('From'), R('P&L')],
      rows: [
        ...b.positions.map((p) => [
          p.asset,
          fmtUsd(p.value),
          signedPct(p.move),
          p.source === 'beta' ? 'β × benchmark' : p.source,
          fmtUsd(p.pnl),
        ]),
        ['Total', '', '', '', fmtUsd(b.positions.reduce((t, p) => t + p.pnl, 0))],
      ],
    });
  tables.push({
    id: 'stress-model',
    title: 'Model',
    columns: [L('Assumption')],
    rows: r.model.map((m) => [m]),
  });
  return tables;
}

export function basisTables(r: BasisResult): TableModel[] {
  const tables: TableModel[] = [
    {
      id: 'basis-recommendation',
      title: `Recommended hedge: ${r.recommendation.candidate}`,
      columns: [L('Why')],
      // One sentence a row: table cells do not wrap in the notebook.
      rows: r.recommendation.reason.split(/(?<=\.)\s+(?=[A-Z])/).map((x) => [x]),
    },
    {
      id: 'basis-candidates',
      title: `Candidates for the $${fmtCount(Math.round(r.value))} book (β ${fmtNum(r.bookBeta)} to ${r.benchmark}); in sample ${fmtCount(r.periods)} periods, walk-forward ${fmtCount(r.outOfSample)} (fit on ${fmtCount(r.train)}, refit every ${fmtCount(r.step)})`,
      columns: [
        L('Candidate'),
        R('β'),
        R('Corr'),
        R(`Corr (last ${fmtCount(r.recent)})`),
        R('Beta hedge'),
        R('Min-var hedge'),
        R('Vol left (beta / min-var)'),
        R('Effectiveness in sample (beta / min-var)'),
        R('Walk-forward (beta / min-var)'),
      ],
      rows: r.candidates.map((c) => [
        c.name,
        fmtNum(c.beta),
        fmtNum(c.correlation, 2),
        fmtNum(c.recentCorrelation, 2),
        `${fmtUsd(c.betaNotional)}${c.betaContracts !== null ? ` (${fmtCount(c.betaContracts)} ct)` : ''}`,
        `${fmtUsd(c.minVarianceNotional)}${c.minVarianceContracts !== null ? ` (${fmtCount(c.minVarianceContracts)} ct)` : ''}`,
        `${fmtPct(c.volBeta, 1)} / ${fmtPct(c.volMinVariance, 1)}`,
        `${fmtPct(c.effectivenessBeta, 0)} / ${fmtPct(c.effectivenessMinVariance, 0)}`,
        `${fmtPct(c.walkForwardBeta, 0)} / ${fmtPct(c.walkForwardMinVariance, 0)}`,
      ]),
    },
  ];
  if (r.combined)
    tables.push({
      id: 'basis-combined',
      title: 'All candidates at once (least-squares hedge)',
      columns: [L('Candidate'), R('Ratio (USD per USD of book)'), R('Notional')],
      rows: [
        ...r.combined.names.map((n, i) => [
          n,
          fmtNum(r.combined?.ratios[i], 3),
          fmtUsd(r.combined?.notionals[i]),
        ]),
        [
          'Effectiveness',
          `${fmtPct(r.combined.effectiveness, 0)} in sample, ${fmtPct(r.combined.walkForward, 0)} walk-forward`,
          `vol left ${fmtPct(r.combined.vol, 1)}`,
        ],
      ],
    });
  return tables;
}

export function positionTables(r: PositionResult): TableModel[] {
  const t = r.ticket;
  const sideWord = t.side === 'buy' ? 'Buy' : t.side === 'sell' ? 'Sell' : 'No trade';
  const when = timeFormatter([r.asOf, r.openedAt]);
  return [
    {
      id: 'position-ticket',
      title: `Rebalance ticket: ${r.instrument}`,
      columns: [L('Field'), R('Value')],
      rows: [
        [
          'Trade',
          t.side === 'none'
            ? `No trade: drift ${fmtNum(r.drift)} is within ±${fmtNum(r.band)}`
            : `${sideWord} ${fmtCount(t.contracts)} contracts`,
        ],
        ['Notional traded', fmtUsd(t.notional)],
        ['Fee', `${fmtUsd(t.fee)} (${fmtPct(t.feeRate, 3)} taker)`],
        ['Contracts after (signed)', fmtCount(t.contractsAfter)],
        ['Beta after', fmtNum(t.betaAfter)],
        [
          'Margin after / change',
          `${fmtUsd(t.marginAfter)} / ${t.marginChange >= 0 ? 'add ' : 'can withdraw '}${fmtUsd(Math.abs(t.marginChange))}`,
        ],
      ],
    },
    {
      id: 'position-state',
      title: `Position ${r.name} as of ${when(r.asOf)}`,
      columns: [L('Field'), R('Value')],
      rows: [
        [
          'Held',
          `${fmtCount(r.contracts)} contracts (${r.side}, ${r.settlement})${r.openedAt ? ` since ${when(r.openedAt)}` : ''}`,
        ],
        ['Entry / now', `${fmtPrice(r.entryPrice)} / ${fmtPrice(r.price)}`],
        ['Notional now', fmtUsd(r.notional)],
        ['Unrealised P&L', fmtUsd(r.unrealizedPnl)],
        [
          'Funding since opening',
          r.fundingPnl === null
            ? 'no funding data loaded'
            : `${fmtUsd(r.fundingPnl)} (${fmtCount(r.fundingPayments)} payments)`,
        ],
        [
          'Margin posted / balance',
          `${fmtUsd(r.margin)} / ${fmtUsd(r.marginBalance)} (${fmtNum(r.leverage, 2)}x at entry)`,
        ],
        ['Maintenance margin rate', `${fmtPct(r.maintenanceMarginRate)}${bracketText(r.bracket)}`],
        ['Liquidation price', fmtPrice(r.liquidationPrice)],
        ['Distance to liquidation', fmtPercentUnits(r.liquidationMovePct)],
        ['Portfolio value, beta alone', `${fmtUsd(r.portfolioValue)}, ${fmtNum(r.portfolioBeta)}`],
        ['Beta with the hedge now', fmtNum(r.betaNow)],
        ['Target, drift', `${fmtNum(r.targetBeta)}, ${r.drift > 0 ? '+' : ''}${fmtNum(r.drift)}`],
      ],
    },
  ];
}
