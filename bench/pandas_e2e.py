#!/usr/bin/python3
"""The pandas side of the end-to-end case of `npm run bench` (bench/e2e.ts runs it as a process
and times it from the outside, Python start included, as it times `hedgebook run`).

    /usr/bin/python3 bench/pandas_e2e.py DIR

The same work as the notebook DIR/wide.hedgebook (prices: wide.csv, returns: simple,
betas: all): read DIR/wide.csv with its dates parsed, simple returns, for every asset against
BTC the statistics the betas cell gives (beta, alpha, correlation, R², standard error, t, 95 %
interval, volatility, downside beta, Blume, Vasicek) and the correlation matrix, then save them
(DIR/pandas-out.json), as the notebook saves its outputs. Prints one JSON line: read_csv's wall
and CPU time, and the peak resident memory after the imports, after read_csv and at the end.
"""

import json
import os
import resource
import sys
import time

import numpy as np
import pandas as pd


def rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main():
    d = sys.argv[1]
    base = rss_kb()
    t0, c0 = time.perf_counter(), time.process_time()
    prices = pd.read_csv(os.path.join(d, "wide.csv"), parse_dates=["date"], index_col="date", comment="#")
    load_ms = (time.perf_counter() - t0) * 1000
    load_cpu_ms = (time.process_time() - c0) * 1000
    after_load = rss_kb()

    r = prices.pct_change().iloc[1:]
    ppy = 8760
    n = len(r)
    mean = r.mean()
    c = r - mean
    m = c["BTC"]
    sxx = (m * m).sum()
    sxy = c.mul(m, axis=0).sum()
    syy = (c * c).sum()
    beta = sxy / sxx
    alpha = mean - beta * mean["BTC"]
    corr = sxy / np.sqrt(sxx * syy)
    se = np.sqrt((syy - beta * sxy) / (n - 2) / sxx)
    down = r[r["BTC"] < 0]
    dc = down - down.mean()
    stats = pd.DataFrame(
        {
            "beta": beta,
            "alpha": alpha,
            "alphaAnnual": (1 + alpha) ** ppy - 1,
            "correlation": corr,
            "r2": corr**2,
            "stdErr": se,
            "t": beta / se,
            "ciLow": beta - 1.96 * se,
            "ciHigh": beta + 1.96 * se,
            "volatility": np.sqrt(syy / (n - 1) * ppy),
            "downsideBeta": dc.mul(dc["BTC"], axis=0).sum() / (dc["BTC"] ** 2).sum(),
            "blume": 0.67 * beta + 0.33,
            "vasicek": (0.25 * beta + se**2) / (0.25 + se**2),
        }
    ).drop(index="BTC")
    matrix = r.drop(columns="BTC").corr()
    with open(os.path.join(d, "pandas-out.json"), "w") as f:
        json.dump({"betas": stats.to_dict(orient="index"), "correlation": matrix.values.tolist()}, f)
    print(
        json.dumps(
            {
                "pandas": pd.__version__,
                "loadMs": load_ms,
                "loadCpuMs": load_cpu_ms,
                "baseRssKb": base,
                "loadRssKb": after_load,
                "maxRssKb": rss_kb(),
                "beta": [float(v) for v in stats["beta"].to_numpy()[:5]],
            }
        )
    )


if __name__ == "__main__":
    main()
