#!/usr/bin/env python3
"""Writes test/fixtures/scipy-stats.json: what SciPy gives for the statistics test/unit/stats.test.ts checks.

Run with Debian's SciPy (the reference):   /usr/bin/python3 scripts/numpy/gen_stats_fixtures.py
Check another SciPy against the file:       python3 scripts/numpy/gen_stats_fixtures.py --compare test/fixtures/scipy-stats.json

The Student t quantiles are scipy.stats.t.ppf; the paired comparisons are the README's recipe (d = b - a per seed,
mean(d) +- t.ppf(0.975, n - 1) * d.std(ddof=1) / sqrt(n)) on float64 arrays, so both sides subtract the same doubles.
Floats go through json (float.__repr__, the shortest round-trip form), so JSON.parse yields the identical double.

SciPy versions differ in the last digits of t.ppf: Debian's 1.10 (cephes) is off by up to 4e-10 relative (t(0.975, 1) is
tan(0.475 pi) = 12.70620473617470..., it gives 12.706204736432), while 1.17 (Boost) and src/core/stats.ts agree to about
1e-15. So the tests compare to 1e-9 relative, and --compare accepts that much by default.
"""
import argparse
import json
import math
import os
import platform
import sys

import numpy as np
import scipy
from scipy import stats

# (p, df): the 95% two-sided quantiles the CI uses, a few other levels, and the lower tail.
QUANTILES = [(0.975, df) for df in (1, 2, 3, 4, 5, 9, 30, 99, 1000)] + [(0.9, 5), (0.995, 7), (0.025, 4)]
# P(|T| <= t) for df degrees of freedom.
TWO_SIDED = [(1.0, 1), (2.0, 2), (2.5, 3), (1.5, 12), (3.0, 50)]
# Paired runs: a is the baseline sampler, b the other; one entry per seed.
PAIRED = {
    'contains zero (diffs 0.001, 0.003, 0.002)': ([0.9, 0.9, 0.9], [0.901, 0.903, 0.902]),
    'excludes zero (diffs 2, 4, 3, 5, 1 e-3)': ([0.9] * 5, [0.902, 0.904, 0.903, 0.905, 0.901]),
    'five seeds, realistic accuracies': ([0.9472, 0.9481, 0.9466, 0.949, 0.9475], [0.9477, 0.9479, 0.948, 0.9493, 0.9488]),
}


def paired(a, b):
    d = np.asarray(b, dtype=np.float64) - np.asarray(a, dtype=np.float64)
    n = len(d)
    mean = float(d.mean())
    sd = float(d.std(ddof=1))
    t = float(stats.t.ppf(0.975, n - 1))
    half = t * sd / math.sqrt(n)
    return {'a': a, 'b': b, 'n': n, 'df': n - 1, 'meanDiff': mean, 'sdDiff': sd, 't': t, 'low': mean - half, 'high': mean + half}


def generate():
    return {
        'generator': 'scripts/numpy/gen_stats_fixtures.py',
        'scipy': scipy.__version__,
        'numpy': np.__version__,
        'python': platform.python_version(),
        'tQuantile': [{'p': p, 'df': df, 't': float(stats.t.ppf(p, df))} for p, df in QUANTILES],
        'tTwoSidedCdf': [{'t': t, 'df': df, 'p': float(stats.t.cdf(t, df) - stats.t.cdf(-t, df))} for t, df in TWO_SIDED],
        'paired': {name: paired(a, b) for name, (a, b) in PAIRED.items()},
    }


def numbers(v, path=''):
    """Every number in a JSON value, with its path."""
    if isinstance(v, dict):
        for k in sorted(v):
            yield from numbers(v[k], f'{path}.{k}')
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from numbers(x, f'{path}[{i}]')
    elif isinstance(v, (int, float)) and not isinstance(v, bool):
        yield path, v


def compare(ref, data, rel):
    """The largest relative difference, and the paths that differ by more than `rel` or exist on one side only."""
    a, b = dict(numbers({k: ref[k] for k in ('tQuantile', 'tTwoSidedCdf', 'paired')})), dict(numbers({k: data[k] for k in ('tQuantile', 'tTwoSidedCdf', 'paired')}))
    bad = sorted(set(a) ^ set(b))
    worst = 0.0
    for k in set(a) & set(b):
        diff = abs(a[k] - b[k]) / max(abs(a[k]), abs(b[k]), 1e-300)
        worst = max(worst, diff)
        if diff > rel:
            bad.append(f'{k}: file {a[k]!r}, now {b[k]!r}')
    return worst, bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument('--out', default=os.path.join(root, 'test', 'fixtures', 'scipy-stats.json'))
    ap.add_argument('--compare', metavar='JSON', help='regenerate and compare with this file instead of writing')
    ap.add_argument('--rel', type=float, default=1e-9, help='largest relative difference --compare accepts (default 1e-9, see above)')
    args = ap.parse_args()
    data = generate()
    if args.compare:
        with open(args.compare) as f:
            ref = json.load(f)
        worst, bad = compare(ref, data, args.rel)
        verdict = 'identical' if worst == 0 and not bad else f'largest relative difference {worst:.1e}' + ('' if not bad else ' — DIFFERENT')
        print(f"scipy {data['scipy']} vs fixture from scipy {ref['scipy']}: {verdict}")
        for line in bad[:20]:
            print(f'  {line}')
        sys.exit(1 if bad else 0)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(data, f, indent=1, ensure_ascii=False)
        f.write('\n')
    print(f"wrote {args.out} (scipy {data['scipy']}, {len(QUANTILES)} quantiles, {len(PAIRED)} paired comparisons)")


if __name__ == '__main__':
    main()
