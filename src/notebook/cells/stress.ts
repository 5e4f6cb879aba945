/** A `stress` cell: a ladder of benchmark moves, named scenarios and replayed historical windows
 *  applied to a portfolio and its hedge leg (sized like a hedge cell, or a position cell's held
 *  hedge). The model is stated in the result (STRESS_MODEL). */
import { sizeHedge } from '../../engine/hedge';
import { isolatedLiquidation, marginTable, type IsolatedPosition } from '../../engine/margin';
import type { Problem } from '../../engine/result';
import {
  runStress,
  STRESS_MODEL,
  worstWindows,
  type Scenario,
  type StressHedge,
} from '../../engine/stress';
import type { LocatedProblem } from '../location';
import type { ParsedCell, Path } from '../parse';
import { RESULT_VERSION, type StressResult } from '../../results';
import { MAX_STRESS_SCENARIOS, type StressSpec } from '../schemas';
import type { CellEvaluation, EvalContext } from './context';
import { failed, iso, provenance, relocate, unknownAsset, warningsOf } from './common';
import { bookBetas, logReturnsWarning, marketFor, type Market } from './market';

const pctLabel = (m: number) => `${m > 0 ? '+' : ''}${Number((m * 100).toPrecision(6))}%`;

/** The benchmark's level at each aligned time: its price (one asset) or a basket index that
 *  compounds Σ w_i r_i of simple returns from 1. */
function benchmarkLevels(
  m: Market,
  weights: readonly { asset: string; weight: number }[],
): number[] {
  const n = m.aligned.times.length;
  if (weights.length === 1) return Array.from(m.aligned.prices[weights[0]!.asset] ?? []);
  const out = [1];
  for (let i = 1; i < n; i++) {
    let r = 0;
    for (const { asset, weight } of weights) {
      const p = m.aligned.prices[asset]!;
      r += weight * ((p[i] as number) / (p[i - 1] as number) - 1);
    }
    out.push((out[i - 1] as number) * (1 + r));
  }
  return out;
}

/** Window length in periods of the data: `7d` on daily data is 7. */
function periodsOf(w: NonNullable<StressSpec['historical']>['window'], m: Market): number {
  if (w.kind === 'periods') return w.periods;
  if (w.kind === 'time') return Math.max(1, Math.round(w.ms / m.frequency.ms));
  return 1;
}

export async function evaluateStress(
  spec: StressSpec,
  parsed: ParsedCell,
  ctx: EvalContext,
): Promise<CellEvaluation> {
  const mk = marketFor(ctx, parsed, spec.data);
  if (!mk.ok) return mk.e;
  const m = mk.m;
  const portfolio = ctx.portfolio(spec.portfolio);
  const positions = portfolio.valuation.positions;
  const book = await bookBetas(m, positions, 'stress', parsed, ctx.signal);
  if (!book.ok) return book.e;
  const { betas } = book;
  const benchmark = m.benchmarkAsset;
  const warnings: Problem[] = [...logReturnsWarning(m, 'hedge'), ...m.warnings];

  // The hedge leg: sized here like a hedge cell, or a held position.
  let hedge: StressHedge | null = null;
  let hedgeOut: StressResult['hedge'] = null;
  if (spec.hedge) {
    const inst = ctx.instrument(spec.hedge.instrument);
    const sized = sizeHedge({
      portfolioValue: portfolio.valuation.value,
      portfolioBeta: book.beta,
      targetBeta: spec.hedge.targetBeta,
      instrument: inst.instrument,
      instrumentBeta: inst.beta,
      price: inst.price,
      leverage: spec.hedge.leverage,
      asOf: portfolio.asOf,
    });
    if (!sized.ok)
      return failed(
        relocate(
          sized.problems,
          (p) => (p.path[0] === 'leverage' ? ['hedge', 'leverage'] : ['hedge', 'with']),
          parsed,
        ),
      );
    warnings.push(...sized.warnings);
    const h = sized.value;
    if (h.side !== 'none') {
      const inverse = inst.instrument.settlement === 'inverse';
      const position: IsolatedPosition = {
        settlement: inst.instrument.settlement,
        side: h.side,
        quantity: inverse
          ? Math.abs(h.contractNotional)
          : h.contracts * inst.instrument.contractSize,
        entryPrice: inst.price,
        walletBalance: inverse ? h.initialMargin / inst.price : h.initialMargin,
      };
      hedge = {
        instrument: inst.instrument.name,
        underlying: inst.instrument.underlying,
        underlyingBeta: inst.beta,
        position,
        table: marginTable(inst.instrument),
        price: inst.price,
      };
      hedgeOut = {
        instrument: inst.instrument.name,
        source: 'hedge',
        settlement: inst.instrument.settlement,
        side: h.side,
        contracts: h.contracts,
        notional: h.contractNotional,
        price: inst.price,
        entryPrice: inst.price,
        leverage: spec.hedge.leverage,
        margin: h.initialMargin,
        liquidationPrice: h.liquidationPrice,
        liquidationMovePct: h.liquidationMovePct,
        maintenanceMarginRate: h.maintenanceMarginRate,
        bracket: h.bracket,
      };
    }
  } else if (spec.position) {
    const pv = ctx.position(spec.position);
    if (pv.portfolio !== portfolio.name)
      warnings.push({
        code: 'position_other_portfolio',
        path: ['held'],
        params: { position: pv.name, portfolio: pv.portfolio, stressed: portfolio.name },
      });
    const inst = pv.instrument;
    const inverse = inst.settlement === 'inverse';
    const abs = Math.abs(pv.contracts);
    const position: IsolatedPosition = {
      settlement: inst.settlement,
      side: pv.contracts > 0 ? 'long' : 'short',
      quantity: abs * inst.contractSize,
      entryPrice: pv.entryPrice,
      walletBalance: pv.margin,
    };
    const table = marginTable(inst);
    hedge = {
      instrument: inst.name,
      underlying: inst.underlying,
      underlyingBeta: pv.instrumentBeta,
      position,
      table,
      price: pv.price,
    };
    const liq = isolatedLiquidation(position, table);
    const lp = liq.ok ? liq.value.price : null;
    const entryNotional = abs * inst.contractSize * (inverse ? 1 : pv.entryPrice);
    const marginUsd = pv.margin * (inverse ? pv.entryPrice : 1);
    hedgeOut = {
      instrument: inst.name,
      source: 'position',
      settlement: inst.settlement,
      side: position.side,
      contracts: abs,
      notional: Math.sign(pv.contracts) * abs * inst.contractSize * (inverse ? 1 : pv.price),
      price: pv.price,
      entryPrice: pv.entryPrice,
      leverage: entryNotional / marginUsd,
      margin: marginUsd,
      liquidationPrice: lp,
      liquidationMovePct: lp === null ? null : (lp / pv.price - 1) * 100,
      maintenanceMarginRate: liq.ok ? liq.value.rate : inst.maintenanceMarginRate,
      bracket:
        liq.ok && inst.brackets
          ? {
              table: inst.brackets.name,
              number: liq.value.bracket + 1,
              maxLeverage: inst.brackets.brackets[liq.value.bracket]?.maxLeverage ?? null,
            }
          : null,
    };
  }

  // The scenarios, each remembering where in the cell it was written.
  const scenarios: Scenario[] = [];
  const where: Path[] = [];
  for (const move of spec.ladder) {
    scenarios.push({ name: pctLabel(move), kind: 'ladder', benchmarkMove: move, shocks: {} });
    where.push(['ladder']);
  }
  const known = m.aligned.assets;
  const problems: LocatedProblem[] = [];
  for (const s of spec.scenarios) {
    const shocks: Record<string, number> = {};
    for (const [asset, move] of Object.entries(s.shocks)) {
      if (!known.includes(asset)) {
        problems.push(
          unknownAsset(parsed, ['scenarios', s.name, asset], asset, `scenario ${s.name}`, known),
        );
        continue;
      }
      if (asset !== benchmark) shocks[asset] = move;
    }
    const benchmarkMove =
      s.benchmark ??
      (benchmark !== null && Object.hasOwn(s.shocks, benchmark)
        ? (s.shocks[benchmark] as number)
        : 0);
    scenarios.push({
      name: s.name,
      kind: 'scenario',
      benchmarkMove,
      shocks,
      ...(s.funding ? { funding: s.funding } : {}),
    });
    where.push(['scenarios', s.name]);
  }
  if (problems.length > 0) return failed(problems);
  if (spec.historical) {
    const h = spec.historical;
    const length = periodsOf(h.window, m);
    const levels = benchmarkLevels(m, ctx.settings().spec.benchmark);
    const times = m.aligned.times;
    const replay = (name: string, start: number, end: number): Scenario => {
      const shocks: Record<string, number> = {};
      for (const a of known) {
        const p = m.aligned.prices[a]!;
        shocks[a] = (p[end] as number) / (p[start] as number) - 1;
      }
      return {
        name,
        kind: 'historical',
        benchmarkMove: (levels[end] as number) / (levels[start] as number) - 1,
        shocks,
        window: { start: times[start] as number, end: times[end] as number },
      };
    };
    if (length >= times.length) {
      warnings.push({
        code: 'historical_window_too_long',
        path: ['historical'],
        params: { window: length, n: times.length },
      });
    } else {
      worstWindows(levels, length, h.worst, 'falls').forEach((w, i) => {
        scenarios.push(replay(`worst fall ${i + 1}`, w.start, w.end));
        where.push(['historical', 'worst']);
      });
      worstWindows(levels, length, h.rallies, 'rallies').forEach((w, i) => {
        scenarios.push(replay(`worst rally ${i + 1}`, w.start, w.end));
        where.push(['historical', 'rallies']);
      });
      for (const d of h.dates) {
        let start = times.findIndex((t) => t >= d.start);
        if (start < 0 || start + length >= times.length) {
          problems.push({
            ...relocate(
              [
                {
                  code: 'date_outside_data',
                  path: [],
                  params: {
                    name: d.name,
                    date: iso(d.start),
                    first: iso(times[0] ?? 0),
                    last: iso(times[times.length - 1 - length] ?? 0),
                  },
                },
              ],
              () => ['historical', 'dates', d.name],
              parsed,
            )[0]!,
          });
          continue;
        }
        start = Math.max(0, start);
        scenarios.push(replay(d.name, start, start + length));
        where.push(['historical', 'dates', d.name]);
      }
    }
  }
  if (problems.length > 0) return failed(problems);
  if (scenarios.length > MAX_STRESS_SCENARIOS)
    return failed(
      relocate(
        [
          {
            code: 'too_many_scenarios',
            path: [],
            params: { n: scenarios.length, max: MAX_STRESS_SCENARIOS },
          },
        ],
        () => ['stress'],
        parsed,
      ),
    );

  const run = runStress({
    holdings: positions.map((p) => ({ asset: p.asset, value: p.value, beta: betas[p.asset] ?? 1 })),
    cash: portfolio.valuation.cash,
    benchmark,
    hedge,
    scenarios,
  });
  if (!run.ok)
    return failed(
      relocate(
        run.problems,
        (p) =>
          p.path[0] === 'scenarios' ? (where[p.path[1] as number] ?? ['stress']) : ['stress'],
        parsed,
      ),
    );
  const v = run.value.value;
  const rows: StressResult['scenarios'] = run.value.outcomes.map((o) => ({
    name: o.scenario.name,
    kind: o.scenario.kind,
    benchmarkMove: o.scenario.benchmarkMove,
    start: o.scenario.window ? iso(o.scenario.window.start) : null,
    end: o.scenario.window ? iso(o.scenario.window.end) : null,
    unhedgedPnl: o.unhedgedPnl,
    hedgePnl: o.hedge ? o.hedge.pnl : null,
    fundingPnl: o.hedge && o.scenario.funding ? o.hedge.fundingPnl : null,
    hedgedPnl: o.hedgedPnl,
    hedgedPct: o.hedgedPnl / v,
    unhedgedPct: o.unhedgedPnl / v,
    instrumentMove: o.hedge ? o.hedge.move : null,
    priceAfter: o.hedge ? o.hedge.priceAfter : null,
    marginAfter: o.hedge ? o.hedge.marginAfter : null,
    maintenanceAfter: o.hedge ? o.hedge.maintenanceAfter : null,
    marginRatioAfter: o.hedge ? o.hedge.marginRatioAfter : null,
    liquidated: o.hedge ? o.hedge.liquidated : null,
    distancePct: o.hedge ? o.hedge.distancePct : null,
  }));
  const liquidatedRows = rows.filter((r) => r.liquidated).map((r) => r.name);
  if (liquidatedRows.length > 0)
    warnings.push({
      code: 'hedge_liquidated_in_scenarios',
      path: ['stress'],
      params: {
        count: liquidatedRows.length,
        first: liquidatedRows.slice(0, 3).join(', '),
        move:
          run.value.liquidationBenchmarkMove === null
            ? ''
            : pctLabel(run.value.liquidationBenchmarkMove),
      },
    });
  const result: StressResult = {
    version: RESULT_VERSION,
    kind: 'stress',
    name: portfolio.name,
    warnings: warningsOf(warnings),
    data: provenance(m.source, m.aligned.times, m.from),
    portfolio: portfolio.name,
    benchmark: m.benchmarkLabel,
    value: v,
    model: [...STRESS_MODEL],
    hedge: hedgeOut,
    liquidationBenchmarkMove: run.value.liquidationBenchmarkMove,
    scenarios: rows,
    breakdown: run.value.outcomes
      .filter((o) => o.scenario.kind !== 'ladder')
      .map((o) => ({
        scenario: o.scenario.name,
        positions: o.positions.map((p) => ({ ...p })),
      })),
  };
  return { ok: true, problems: [], value: null, results: [result] };
}
