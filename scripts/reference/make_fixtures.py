#!/usr/bin/python3
"""Reference fixtures for the engine's beta statistics, computed independently with numpy,
pandas and statsmodels from the seeded inputs written by scripts/reference/export-inputs.ts.

    npm run fixtures
    # = node --import tsx scripts/reference/export-inputs.ts out/reference-inputs
    #   && /usr/bin/python3 scripts/reference/make_fixtures.py out/reference-inputs test/fixtures/reference

Each fixture holds the inputs, the expected numbers and a "how" field (command, library versions,
conventions). The tests only read the fixtures, so `npm test` needs no Python.
"""

import json
import math
import os
import platform
import sys

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm

VASICEK_PRIOR_MEAN = 1.0
VASICEK_PRIOR_STD = 0.5
MAX_BYTES = 200_000


def num(x):
    """A JSON number, or None for NaN / infinities (JSON has no NaN)."""
    x = float(x)
    return x if math.isfinite(x) else None


def returns_of(prices, kind):
    s = pd.Series(prices, dtype="float64")
    if kind == "simple":
        r = s.pct_change()  # p_t / p_{t-1} - 1
    else:
        r = np.log(s).diff()  # log p_t - log p_{t-1}
    return r.iloc[1:].to_numpy()


def ols(y, x):
    """statsmodels OLS of y on [1, x]."""
    return sm.OLS(y, sm.add_constant(x, has_constant="add")).fit()


def annual_alpha(alpha, periods_per_year, kind):
    """The per-period alpha compounded over a year (as empyrical's alpha annualises):
    (1 + alpha)^P - 1 for simple returns, exp(alpha * P) - 1 for log returns."""
    if kind == "log":
        return math.expm1(alpha * periods_per_year)
    return (1.0 + alpha) ** periods_per_year - 1.0


def beta_stats(a, m, periods_per_year, halflife, kind):
    fit = ols(a, m)
    beta = fit.params[1]
    alpha = fit.params[0]
    se = fit.bse[1]
    lo, hi = fit.conf_int(0.05)[1]
    down = m < 0
    dfit = ols(a[down], m[down])
    ewm_cov = pd.Series(a).ewm(halflife=halflife, adjust=True).cov(pd.Series(m))
    ewm_var = pd.Series(m).ewm(halflife=halflife, adjust=True).var()
    prior_var = VASICEK_PRIOR_STD**2
    vasicek = (prior_var * beta + se**2 * VASICEK_PRIOR_MEAN) / (prior_var + se**2)
    return {
        "beta": num(beta),
        "alpha": num(alpha),
        "alphaAnnual": num(annual_alpha(alpha, periods_per_year, kind)),
        "r2": num(fit.rsquared),
        "correlation": num(np.corrcoef(a, m)[0, 1]),
        "stdErr": num(se),
        "tStat": num(fit.tvalues[1]),
        "ciLow": num(lo),
        "ciHigh": num(hi),
        "n": int(len(a)),
        "volAnnual": num(np.std(a, ddof=1) * math.sqrt(periods_per_year)),
        "downsideBeta": num(dfit.params[1]),
        "downsideN": int(down.sum()),
        "blumeBeta": num(0.67 * beta + 0.33),
        "vasicekBeta": num(vasicek),
        "ewmaBeta": num(ewm_cov.iloc[-1] / ewm_var.iloc[-1]),
        # a cross-check of the same numbers by the plain formulas (sample cov / sample var)
        "check": {
            "betaCovVar": num(np.cov(a, m, ddof=1)[0, 1] / np.var(m, ddof=1)),
        },
    }


def rolling(a, m, window, every):
    """Rolling beta / correlation / stdErr; entry i covers returns [i-window+1 .. i].
    pandas: rolling(window).cov / .var and .corr over all entries (kept at the sampled indices);
    statsmodels: an OLS fit of each sampled window on its own (slope and its standard error)."""
    sa, sm_ = pd.Series(a), pd.Series(m)
    pbeta = sa.rolling(window).cov(sm_) / sm_.rolling(window).var()
    pcorr = sa.rolling(window).corr(sm_)
    n = len(a)
    index = list(range(window - 1, n, every))
    if index[-1] != n - 1:
        index.append(n - 1)
    out = {"index": index, "pandasBeta": [], "pandasCorrelation": [], "olsBeta": [], "olsStdErr": [], "olsCorrelation": []}
    for i in index:
        wa, wm = a[i - window + 1 : i + 1], m[i - window + 1 : i + 1]
        fit = ols(wa, wm)
        out["pandasBeta"].append(num(pbeta.iloc[i]))
        out["pandasCorrelation"].append(num(pcorr.iloc[i]))
        out["olsBeta"].append(num(fit.params[1]))
        out["olsStdErr"].append(num(fit.bse[1]))
        out["olsCorrelation"].append(num(np.corrcoef(wa, wm)[0, 1]))
    # How far pandas' rolling moments (running sums) drift from the per-window fits here.
    rel = [abs(p - o) / abs(o) for p, o in zip(out["pandasBeta"], out["olsBeta"]) if o]
    out["pandasVsOlsMaxRelDiff"] = num(max(rel))
    # No window is NaN before the first full window: entries before window-1 are NaN in pandas.
    assert all(math.isnan(x) for x in pbeta.iloc[: window - 1])
    return out


def make(inp, command):
    bench = inp["benchmark"]
    kind = inp["returns"]
    ppy = inp["periodsPerYear"]
    prices = inp["prices"]
    rets = {k: returns_of(v, kind) for k, v in prices.items()}
    m = rets[bench]
    assets = [k for k in prices if k != bench]
    fixture = {
        "name": inp["name"],
        "description": inp["description"],
        "how": {
            "command": command,
            "steps": [
                "node --import tsx scripts/reference/export-inputs.ts OUT (seeded generateMarket prices)",
                "/usr/bin/python3 scripts/reference/make_fixtures.py OUT test/fixtures/reference",
            ],
            "python": platform.python_version(),
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "statsmodels": statsmodels.__version__,
            "conventions": (
                "returns: pandas pct_change (simple) or numpy log diff (log); "
                "stats: statsmodels OLS(asset ~ const + benchmark): params, rsquared, bse, tvalues, "
                "conf_int(0.05); correlation numpy corrcoef; volAnnual numpy std ddof=1 * sqrt(periodsPerYear); "
                "alphaAnnual = (1 + alpha)^periodsPerYear - 1 (simple) or exp(alpha * periodsPerYear) - 1 (log); downsideBeta: OLS on periods with benchmark return < 0; "
                "blume 0.67b + 0.33; vasicek (s0^2 b + se^2 m0) / (s0^2 + se^2) with m0 = 1, s0 = 0.5; "
                "ewmaBeta: pandas ewm(halflife, adjust=True).cov / .var at the last period; "
                "rolling: pandas rolling(window).cov / .var and .corr, and statsmodels OLS per window"
            ),
        },
        "benchmark": bench,
        "assets": assets,
        "returnsKind": kind,
        "periodsPerYear": ppy,
        "window": inp["window"],
        "ewmaHalfLife": inp["ewmaHalfLife"],
        "generator": inp["generator"],
        "trueBetas": inp["trueBetas"],
        "inputs": {"returns": {k: [float(x) for x in v] for k, v in rets.items()}},
        "expected": {"stats": {}, "rolling": {}},
    }
    if inp["keepPrices"]:
        fixture["inputs"]["times"] = inp["times"]
        fixture["inputs"]["prices"] = prices
        fixture["expected"]["returns"] = {
            k2: {k: [float(x) for x in returns_of(v, k2)] for k, v in prices.items()} for k2 in ("simple", "log")
        }
    for a in assets:
        fixture["expected"]["stats"][a] = beta_stats(rets[a], m, ppy, inp["ewmaHalfLife"], kind)
        fixture["expected"]["rolling"][a] = rolling(rets[a], m, inp["window"], inp["rollingEvery"])
    return fixture


def main():
    src, dst = sys.argv[1], sys.argv[2]
    command = "npm run fixtures"
    os.makedirs(dst, exist_ok=True)
    for name in sorted(os.listdir(src)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(src, name)) as f:
            inp = json.load(f)
        fixture = make(inp, command)
        text = json.dumps(fixture, indent=None, separators=(",", ":"), allow_nan=False) + "\n"
        if len(text) > MAX_BYTES:
            raise SystemExit(f"{name}: fixture is {len(text)} bytes, over {MAX_BYTES}")
        with open(os.path.join(dst, name), "w") as f:
            f.write(text)
        print(f"wrote {os.path.join(dst, name)} ({len(text)} bytes)")


if __name__ == "__main__":
    main()
