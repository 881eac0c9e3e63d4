#!/usr/bin/env python3
"""Writes test/fixtures/numpy-rng.json: what NumPy's legacy `np.random.seed(s)` stream draws, for test/unit/rng.test.ts.

Run with Debian's NumPy (the reference):   /usr/bin/python3 scripts/numpy/gen_rng_fixtures.py
Check another NumPy against the file:       python3 scripts/numpy/gen_rng_fixtures.py --compare test/fixtures/numpy-rng.json

Floats go through json (float.__repr__, the shortest round-trip form), so JSON.parse yields the identical double.

NumPy's legacy gaussian calls the C library's log(), which (glibc here) is not correctly rounded for about 0.08% of its
inputs; NumpyRandom uses a correctly rounded log. So every gaussian is also replayed here with a correctly rounded log
(decimal, 60 digits), and where the two differ the fixture lists [index, numpy value, correctly rounded value] under
logMisrounds, so the test stays bit-exact on both sides.
"""
import argparse
import decimal
import hashlib
import math
import json
import os
import platform
import sys

import numpy as np

SEEDS = [0, 1, 2, 42, 12345, 4294967295]
# Flat indices checked one by one; the hash below covers every element.
W1_PICKS = [0, 1, 49, 50, 783, 19599, 19600, 25000, 39150, 39199]
W2_PICKS = [0, 1, 9, 10, 249, 250, 499]


LN_CONTEXT = decimal.Context(prec=60)


def cr_log(x):
    # Decimal(x) is exact and float(Decimal) rounds correctly; 60 digits leave no double-rounding risk in practice.
    return float(decimal.Decimal(x).ln(LN_CONTEXT))


def replay_gauss(n, has_gauss, cached, cached_cr):
    """legacy_gauss from the current global state, once with libm's log and once with a correctly rounded one."""
    libm, cr = [], []
    while len(libm) < n:
        if has_gauss:
            libm.append(cached)
            cr.append(cached_cr)
            has_gauss = False
            continue
        while True:
            x1 = 2.0 * np.random.random_sample() - 1.0
            x2 = 2.0 * np.random.random_sample() - 1.0
            r2 = x1 * x1 + x2 * x2
            if r2 < 1.0 and r2 != 0.0:
                break
        f, g = math.sqrt(-2.0 * math.log(r2) / r2), math.sqrt(-2.0 * cr_log(r2) / r2)
        libm.append(f * x2)
        cr.append(g * x2)
        has_gauss, cached, cached_cr = True, f * x1, g * x1
    return libm, cr, (cached_cr if has_gauss else None)


class Gauss:
    """np.random.randn on the global state, plus the correctly rounded twin of every value it returns."""

    def __init__(self):
        self.cached_cr = None

    def randn(self, *shape):
        before = np.random.get_state()
        real = np.random.randn(*shape)
        after = np.random.get_state()
        np.random.set_state(before)
        libm, cr, cached_cr = replay_gauss(int(np.prod(shape)), bool(before[3]), before[4], self.cached_cr)
        mid = np.random.get_state()
        assert mid[2] == after[2] and np.array_equal(mid[1], after[1]), 'replay consumed a different number of draws'
        np.random.set_state(after)
        assert libm == floats(real), 'replay with libm log does not reproduce NumPy: is the C code contracted to FMA?'
        self.cached_cr = cached_cr
        return np.asarray(real, dtype=np.float64), np.asarray(cr, dtype=np.float64).reshape(np.shape(real))


def misrounds(numpy_vals, cr_vals):
    a = np.asarray(numpy_vals, dtype=np.float64).ravel()
    b = np.asarray(cr_vals, dtype=np.float64).ravel()
    return [[int(i), float(a[i]), float(b[i])] for i in np.flatnonzero(a != b)]


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def ints(a):
    return [int(v) for v in np.asarray(a).ravel()]


def seq_sum(a):
    # Left-to-right in C order, so JS can reproduce it exactly (np.sum is pairwise).
    s = 0.0
    for v in np.asarray(a, dtype=np.float64).ravel().tolist():
        s += v
    return s


def sha256_f64(a):
    return hashlib.sha256(np.ascontiguousarray(a, dtype='<f8').tobytes()).hexdigest()


def for_seed(s):
    r = np.random
    out = {'seed': s}
    mis = {}

    r.seed(s)
    v, c = Gauss().randn(20)
    out['randn20'] = floats(v)
    mis['randn20'] = misrounds(v, c)

    # Odd counts and scalar calls: the cached second gaussian must carry over between calls.
    r.seed(s)
    split = [7, 6, 1, 5, 1]
    g = Gauss()
    vals, crs = [], []
    for n in split:
        v, c = g.randn() if n == 1 else g.randn(n)
        vals += floats(v)
        crs += floats(c)
    out['randnSplit'] = {'counts': split, 'values': vals}
    mis['randnSplit'] = misrounds(vals, crs)

    # A choice between gaussians leaves the cache alone: the 4th gaussian is the one cached by the 3rd.
    r.seed(s)
    g = Gauss()
    a, ac = g.randn(3)
    ch = ints(r.choice(10, 4))
    b, bc = g.randn(2)
    out['randnChoiceRandn'] = {'randnBefore': floats(a), 'choice10x4': ch, 'randnAfter': floats(b)}
    mis['randnBefore'] = misrounds(a, ac)
    mis['randnAfter'] = misrounds(b, bc)

    r.seed(s)
    out['choice60000x100'] = [ints(r.choice(60000, 100)) for _ in range(3)]

    r.seed(s)
    idx = np.arange(600)
    r.shuffle(idx)
    out['shuffle600'] = ints(idx)

    r.seed(s)
    out['permutation10'] = ints(r.permutation(10))

    r.seed(s)
    out['choice7x5'] = ints(r.choice(7, 5))

    # The book's order: TwoLayerNet.__init__ draws W1 then W2, then the loop's first batch.
    r.seed(s)
    g = Gauss()
    W1, W1c = g.randn(784, 50)
    W2, W2c = g.randn(50, 10)
    W1, W1c, W2, W2c = 0.01 * W1, 0.01 * W1c, 0.01 * W2, 0.01 * W2c
    batch = r.choice(60000, 100)
    out['bookInit'] = {
        'W1': {'shape': [784, 50], 'picks': W1_PICKS, 'values': [float(W1.flat[i]) for i in W1_PICKS],
               'seqSum': seq_sum(W1), 'sha256': sha256_f64(W1)},
        'W2': {'shape': [50, 10], 'picks': W2_PICKS, 'values': [float(W2.flat[i]) for i in W2_PICKS],
               'seqSum': seq_sum(W2), 'sha256': sha256_f64(W2)},
        'choice60000x100': ints(batch),
    }
    mis['W1'] = misrounds(W1, W1c)
    mis['W2'] = misrounds(W2, W2c)
    out['logMisrounds'] = mis
    return out


def generate():
    return {
        'about': 'NumPy legacy RandomState draws after np.random.seed(seed); written by scripts/numpy/gen_rng_fixtures.py',
        'numpy': np.__version__,
        'python': platform.python_version(),
        'executable': sys.executable,
        'sha256': 'of the float64 little-endian bytes of the whole array, C order',
        'seqSum': 'left-to-right float64 sum in C order',
        'logMisrounds': 'per item: [flat index, NumPy value, value with a correctly rounded log] where libm log misrounded',
        'seeds': [for_seed(s) for s in SEEDS],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument('--out', default=os.path.join(root, 'test', 'fixtures', 'numpy-rng.json'))
    ap.add_argument('--compare', metavar='JSON', help='regenerate and compare with this file instead of writing')
    args = ap.parse_args()
    data = generate()
    if args.compare:
        with open(args.compare) as f:
            ref = json.load(f)
        same = ref['seeds'] == data['seeds']
        print(f"numpy {data['numpy']} vs fixture from numpy {ref['numpy']}: {'identical' if same else 'DIFFERENT'}")
        sys.exit(0 if same else 1)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(data, f, indent=1)
        f.write('\n')
    n = sum(len(v) for sd in data['seeds'] for v in sd['logMisrounds'].values())
    print(f"wrote {args.out} (numpy {data['numpy']}, {len(SEEDS)} seeds, {n} values where libm log misrounded)")


if __name__ == '__main__':
    main()
