#!/usr/bin/python3
"""The pandas side of `npm run bench` (bench/run.ts writes the data, runs this, reads the JSON
printed on stdout). Times only the computation, with time.perf_counter and time.process_time,
and prints every run's times (bench/run.ts runs this once per round, between its own rounds,
and takes the medians over all rounds).

    /usr/bin/python3 bench/pandas_bench.py DIR RUNS

DIR holds meta.json and raw little-endian float64 files written by bench/run.ts:
  rolling_x.bin, rolling_y.bin   benchmark / asset returns (n each)
  table.bin                      rows = periods, columns = benchmark then assets (row-major)
"""

import json
import os
import sys
import time

import numpy as np
import pandas as pd


def times_ms(fn, runs):
    """{"wall": [...], "cpu": [...]} in ms for each run after a warm-up: perf_counter and this
    process's CPU time (process_time)."""
    fn()  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - t0) * 1000)
    return {"wall": wall, "cpu": cpu}


def main():
    d, runs = sys.argv[1], int(sys.argv[2])
    with open(os.path.join(d, "meta.json")) as f:
        meta = json.load(f)
    x = pd.Series(np.fromfile(os.path.join(d, "rolling_x.bin"), dtype="<f8"))
    y = pd.Series(np.fromfile(os.path.join(d, "rolling_y.bin"), dtype="<f8"))
    rows, cols = meta["tableRows"], meta["tableCols"]
    table = pd.DataFrame(np.fromfile(os.path.join(d, "table.bin"), dtype="<f8").reshape(rows, cols))
    ppy = meta["periodsPerYear"]
    out = {"pandas": pd.__version__, "numpy": np.__version__}

    for w in meta["windows"]:
        def rolling_beta(w=w):
            return y.rolling(w).cov(x) / x.rolling(w).var()

        def rolling_full(w=w):
            # the same three statistics as the engine's rollingBeta: beta, correlation and the
            # standard error of beta, sqrt((var y - beta cov) / ((w - 2) var x)) (sample ddof)
            c = y.rolling(w).cov(x)
            vx = x.rolling(w).var()
            vy = y.rolling(w).var()
            beta = c / vx
            corr = c / np.sqrt(vx * vy)
            se = np.sqrt((vy - beta * c).clip(lower=0) / ((w - 2) * vx))
            return beta, corr, se

        out[f"rolling_{w}"] = times_ms(rolling_beta, runs)
        out[f"rolling_full_{w}"] = times_ms(rolling_full, runs)
        idx = meta["checkIndex"][str(w)]
        r = rolling_beta().to_numpy()
        out[f"rolling_{w}_sample"] = [float(r[i]) for i in idx]
        _, corr, se = rolling_full()
        out[f"rolling_full_{w}_sample"] = [[float(corr.iloc[i]), float(se.iloc[i])] for i in idx]

    try:
        from scipy.stats import t as student_t

        tq = float(student_t.ppf(0.975, rows - 2))
    except ImportError:  # the quantile is one scalar; its cost does not matter here
        tq = 1.96

    def table_stats():
        # The statistics betaStats gives (beta, alpha and annual alpha, correlation, R², stdErr,
        # t, 95 % interval, annual vol, downside beta, Blume and Vasicek) for every column vs
        # column 0, in vectorized DataFrame ops (centred sums, sample ddof).
        n = len(table)
        mean = table.mean()
        c = table - mean
        m = c[0]
        sxx = (m * m).sum()
        sxy = c.mul(m, axis=0).sum()
        syy = (c * c).sum()
        beta = sxy / sxx
        alpha = mean - beta * mean[0]
        corr = sxy / np.sqrt(sxx * syy)
        ssr = syy - beta * sxy
        se = np.sqrt(ssr / (n - 2) / sxx)
        vol = np.sqrt(syy / (n - 1) * ppy)
        down = table[table[0] < 0]
        dc = down - down.mean()
        dbeta = dc.mul(dc[0], axis=0).sum() / (dc[0] * dc[0]).sum()
        return pd.DataFrame(
            {
                "beta": beta,
                "alpha": alpha,
                "alphaAnnual": alpha * ppy,
                "corr": corr,
                "r2": corr**2,
                "se": se,
                "t": beta / se,
                "ciLow": beta - tq * se,
                "ciHigh": beta + tq * se,
                "vol": vol,
                "downside": dbeta,
                "blume": 0.67 * beta + 0.33,
                "vasicek": (0.25 * beta + se**2) / (0.25 + se**2),
            }
        )

    def table_cov():
        # the one-liner most people write: the full covariance matrix, one column of it
        return table.cov()[0] / table[0].var()

    out["table_stats"] = times_ms(table_stats, runs)
    out["table_cov"] = times_ms(table_cov, runs)
    out["table_beta_sample"] = [float(v) for v in table_stats()["beta"].to_numpy()[1:6]]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
