#!/usr/bin/python3
"""The Python side of the simulation bench in `npm run bench` (bench/simulate.ts writes the data,
runs this, reads the JSON printed on stdout). The same hedge simulation as src/engine/simulate.ts,
with the same conventions (docs/math.md, "Dynamic hedging"), two ways:

- `vectorized`: pandas, for the schedule-only rule (re-size at the first close of each UTC day, no
  band, no liquidation possible): rolling cov / var betas, contracts held forward, fees and
  slippage at trade bars, funding joined on settlement times, equity as cumulative flows.
- `loop`: a plain Python loop for the band-and-liquidation rule, which cannot be vectorized:
  each bar updates the rolling sums (the centred update of rolling.ts), then funding, the
  liquidation check, the close, the band decision, the trade and the margin, in the engine's order.

Times only the computation (time.perf_counter and time.process_time), from the prices to the
equity path; writes each path (little-endian float64) for bench/simulate.ts to compare.

    /usr/bin/python3 bench/simulate_bench.py DIR RUNS
"""

import json
import math
import os
import sys
import time

import numpy as np
import pandas as pd

DAY = 86_400_000


def times_ms(fn, runs):
    fn()  # warm-up
    wall, cpu = [], []
    out = None
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - t0) * 1000)
    return {"wall": wall, "cpu": cpu}, out


def round_nearest(x):
    """Half away from zero, as hedge.ts roundNearest (Math.sign(x) * Math.round(|x|))."""
    r = math.floor(abs(x) + 0.5)
    return math.copysign(r, x) if r != 0 else 0.0


# ---------------------------------------------------------------- vectorized (pandas)


def vectorized(d):
    m = d["meta"]
    times = d["times"]
    prices = d["prices"]  # DataFrame, columns = assets (benchmark first)
    units = np.array(m["units"])
    W, frm, to = m["window"], m["from"], m["to"]
    cs, f, slip, bt, coll = m["contractSize"], m["fee"], m["slippage"], m["targetBeta"], m["collateral"]
    bench = m["assets"][0]
    rets = prices.pct_change()  # return j (row j+1) runs from bar j to bar j+1
    x = rets[bench]
    var = x.rolling(W).var()
    value = (prices * units).sum(axis=1)
    dollar = prices[bench] * units[0]
    for k, a in enumerate(m["assets"][1:], start=1):
        beta = rets[a].rolling(W).cov(x) / var  # row i: returns ending at bar i (no look-ahead)
        dollar = dollar + prices[a] * units[k] * beta
    p = prices[m["underlying"]]
    sl = slice(frm, to + 1)
    t = pd.Series(times[sl])
    day = t // DAY
    decide = (day != day.shift()).to_numpy()
    decide[0] = True
    pv = p.to_numpy()[sl]
    n = (bt * value.to_numpy()[sl] - dollar.to_numpy()[sl]) / 1.0  # β_F = 1
    lots = n / (pv * cs)
    target = np.sign(lots) * np.floor(np.abs(lots) + 0.5)
    held = pd.Series(np.where(decide, target, np.nan)).ffill().to_numpy()
    prev = np.concatenate([[0.0], held[:-1]])
    delta = held - prev
    sgn = np.sign(delta)
    fill = pv * (1 + slip * sgn)
    dsize = np.abs(delta * cs)
    fees = f * dsize * fill
    slips = dsize * np.abs(fill - pv)
    size_prev = prev * cs  # contracts held through the bar, in BTC
    pnl = np.concatenate([[0.0], size_prev[1:] * np.diff(pv)])
    # funding: each settlement τ in (t_from, t_to] on the bar whose close is at or after it, paid
    # by the position held into that close at the last close at or before τ
    ft, fr = d["fundingTimes"], d["fundingRates"]
    tv = t.to_numpy()
    keep = (ft > tv[0]) & (ft <= tv[-1])
    ft, fr = ft[keep], fr[keep]
    bar = np.searchsorted(tv, ft, side="left")
    mark_idx = np.where(tv[bar] == ft, bar, bar - 1)
    pay = -fr * size_prev[bar] * pv[mark_idx]
    funding = np.bincount(bar, weights=pay, minlength=len(tv))
    recv = pay[pay >= 0].sum()
    paid = -pay[pay < 0].sum()
    flows = np.cumsum(pnl - fees - slips + funding)
    equity = value.to_numpy()[sl] + coll + flows
    beta = (dollar.to_numpy()[sl] + size_prev * pv) / value.to_numpy()[sl]
    beta[0] = (dollar.to_numpy()[frm] + held[0] * cs * pv[0]) / value.to_numpy()[frm]
    te = math.sqrt(np.mean((beta[1:] - bt) ** 2))
    return equity, {
        "hedgePnl": float(pnl.sum()),
        "fees": float(fees.sum()),
        "slippage": float(slips.sum()),
        "fundingReceived": float(recv),
        "fundingPaid": float(paid),
        "trades": int((delta != 0).sum()),
        "trackingError": te,
        "end": float(equity[-1]),
    }


# ---------------------------------------------------------------- plain loop


def loop(d):
    m = d["meta"]
    times = d["times"].tolist()
    cols = [d["prices"][a].to_numpy().tolist() for a in m["assets"]]
    units = m["units"]
    W, frm, to = m["window"], m["from"], m["to"]
    cs, f, slip, bt, L = m["contractSize"], m["fee"], m["slippage"], m["targetBeta"], m["leverage"]
    band, mmr = m["band"], m["mmr"]
    und = m["assets"].index(m["underlying"])
    n_assets = len(cols)
    # rolling state per asset (x = benchmark returns, y = asset returns): the centred update
    ret = [[0.0] * len(times) for _ in range(n_assets)]
    for a in range(n_assets):
        c = cols[a]
        r = ret[a]
        for i in range(1, len(times)):
            r[i - 1] = (c[i] - c[i - 1]) / c[i - 1]
    x = ret[0]
    mx = sum(x[:W]) / W
    my = [sum(ret[a][:W]) / W for a in range(n_assets)]
    cxx = sum((x[j] - mx) ** 2 for j in range(W))
    cxy = [sum((x[j] - mx) * (ret[a][j] - my[a]) for j in range(W)) for a in range(n_assets)]
    betas = [cxy[a] / cxx for a in range(n_assets)]  # rolling entry W-1: the betas at bar W
    inv_w = 1 / W
    # funding settlements
    fts, frs = d["fundingTimes"].tolist(), d["fundingRates"].tolist()
    s = 0
    while s < len(fts) and fts[s] <= times[frm]:
        s += 1

    q = 0.0
    size = 0.0
    entry = cols[und][frm]
    wallet = 0.0
    cash = 0.0
    collateral = -1.0
    state = "on"
    tot = dict(hedgePnl=0.0, fees=0.0, slippage=0.0, fundingReceived=0.0, fundingPaid=0.0,
               liquidationLosses=0.0, trades=0, liquidations=0, shortfalls=0)
    te_sum, te_n = 0.0, 0
    equity = []

    def book(i):
        v = 0.0
        dd = 0.0
        for a in range(n_assets):
            pa = cols[a][i]
            v += units[a] * pa
            dd += units[a] * pa * (1.0 if a == 0 else betas[a])
        return v, dd

    def trade(delta, p):
        nonlocal wallet, entry, q, size, cash
        if size != 0:
            wallet += size * (p - entry)
        entry = p
        dsize = delta * cs
        sgn = (delta > 0) - (delta < 0)
        xf = p * (1 + slip * sgn)
        fee = f * abs(dsize) * xf
        sl = abs(dsize) * abs(xf - p)
        wallet -= fee + sl
        tot["fees"] += fee
        tot["slippage"] += sl
        q = q + delta
        size = q * cs
        target = 0.0 if q == 0 else (abs(size) * p) / L
        move = target - wallet
        if move > cash:
            tot["shortfalls"] += 1
            move = max(0.0, cash)
        cash -= move
        wallet += move
        if q == 0:
            cash += wallet
            wallet = 0.0
        tot["trades"] += 1

    def breached(p):
        if size == 0:
            return False
        sgn = 1 if size > 0 else -1
        qty = abs(size)
        balance = wallet + sgn * qty * (p - entry)
        return balance <= qty * p * mmr - 0

    def liq_price(p0):
        # Binance's linear isolated formula, the leg re-marked at p0 (entry = p0, wallet = balance)
        sgn = 1 if size > 0 else -1
        qty = abs(size)
        wb = wallet + sgn * qty * (p0 - entry)
        return (wb + 0 - sgn * qty * p0) / (qty * mmr - sgn * qty)

    def liquidate(p0, lp):
        nonlocal wallet, size, entry, q, state
        tot["hedgePnl"] += size * (lp - p0)
        tot["liquidationLosses"] += wallet + size * (lp - entry)
        tot["liquidations"] += 1
        tot["trades"] += 1
        wallet = 0.0
        size = 0.0
        entry = lp
        q = 0.0
        state = "reopen"

    def pay(rate, mark):
        nonlocal wallet
        if size == 0:
            return
        amount = -rate * size * mark
        wallet += amount
        if amount >= 0:
            tot["fundingReceived"] += amount
        else:
            tot["fundingPaid"] -= amount

    def decide(i, p, beta, opening):
        nonlocal collateral, cash, state
        v, dd = book(i)
        reopening = state == "reopen"
        if not opening and not reopening and band > 0 and not (abs(beta - bt) > band):
            return
        notional = (bt * v - dd) / 1.0
        lots = round_nearest(notional / (p * cs * 1))
        target = lots * 1
        if opening and collateral < 0:
            collateral = abs(p * cs * target)
            cash = collateral
        state = "on"
        delta = target - q
        if delta == 0:
            return
        trade(delta, p)

    # the rolling sums walk from entry W-1 to the bar before `from`
    def roll_to(j):
        # moves the rolling state to entry j (returns [j-W+1, j]), the betas of bar j+1
        nonlocal mx, cxx
        xn, xo = x[j], x[j - W]
        step = (xn - xo) * inv_w
        axn, axo = xn - mx, xo - mx
        cxx += (xn - xo) * (axn + axo - step)
        mx += step
        for a in range(1, n_assets):
            y = ret[a]
            yn, yo = y[j], y[j - W]
            my[a] += (yn - yo) * inv_w
            cxy[a] += axn * (yn - my[a]) - axo * (yo - my[a])
            betas[a] = cxy[a] / cxx

    for j in range(W, frm):
        roll_to(j)
    pu = cols[und]
    v0, d0 = book(frm)
    decide(frm, pu[frm], 0.0, True)
    equity.append(v0 + cash + wallet + size * (pu[frm] - entry))
    for i in range(frm + 1, to + 1):
        roll_to(i - 1)
        t = times[i]
        p0, p1 = pu[i - 1], pu[i]
        while s < len(fts) and fts[s] < t:
            pay(frs[s], p0)
            s += 1
        closed = False
        if size != 0:
            short = size < 0
            worst = max(p0, p1) if short else min(p0, p1)
            if breached(p0):
                liquidate(p0, p0)
                closed = True
            elif breached(worst):
                liquidate(p0, liq_price(p0))
                closed = True
        if not closed and size != 0:
            tot["hedgePnl"] += size * (p1 - p0)
        while s < len(fts) and fts[s] == t:
            pay(frs[s], p1)
            s += 1
        if size != 0 and breached(p1):
            liquidate(p1, p1)
        v, dd = book(i)
        beta = (dd + 1.0 * (size * p1 + 0)) / v
        te_sum += (beta - bt) * (beta - bt)
        te_n += 1
        if t // DAY != times[i - 1] // DAY:
            decide(i, p1, beta, False)
        equity.append(v + cash + wallet + size * (p1 - entry))
    tot["trackingError"] = math.sqrt(te_sum / te_n)
    tot["end"] = equity[-1]
    return np.array(equity), tot


def main():
    d, runs = sys.argv[1], int(sys.argv[2])
    with open(os.path.join(d, "meta.json")) as fh:
        meta = json.load(fh)
    n = meta["n"]
    raw = np.fromfile(os.path.join(d, "prices.bin"), dtype="<f8").reshape(len(meta["assets"]), n)
    data = {
        "meta": meta,
        "times": np.fromfile(os.path.join(d, "times.bin"), dtype="<f8").astype(np.int64),
        "prices": pd.DataFrame({a: raw[k] for k, a in enumerate(meta["assets"])}),
        "fundingTimes": np.fromfile(os.path.join(d, "funding_times.bin"), dtype="<f8").astype(np.int64),
        "fundingRates": np.fromfile(os.path.join(d, "funding_rates.bin"), dtype="<f8"),
    }
    out = {"pandas": pd.__version__, "numpy": np.__version__}
    vec_meta = dict(meta, **meta["schedule"])
    t_vec, (eq_vec, tot_vec) = times_ms(lambda: vectorized(dict(data, meta=vec_meta)), runs)
    loop_meta = dict(meta, **meta["band"])
    t_loop, (eq_loop, tot_loop) = times_ms(lambda: loop(dict(data, meta=loop_meta)), max(1, runs - 1))
    eq_vec.astype("<f8").tofile(os.path.join(d, "py_schedule.bin"))
    eq_loop.astype("<f8").tofile(os.path.join(d, "py_band.bin"))
    out.update(vectorized=t_vec, loop=t_loop, vectorizedTotals=tot_vec, loopTotals=tot_loop)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
