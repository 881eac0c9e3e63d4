#!/usr/bin/env python3
"""Prints which NumPy and BLAS this python3 uses, and the OpenBLAS kernel it picked (e.g. SkylakeX, Haswell), as JSON."""
import ctypes
import json
import os

import numpy as np

np.dot(np.ones((2, 2)), np.ones((2, 2)))  # make sure the BLAS library is loaded
with open('/proc/self/maps') as f:
    libs = sorted({line.split()[-1] for line in f if 'blas' in line.lower() and '/' in line})
corename = None
for path in libs:
    lib = ctypes.CDLL(path)
    # OpenBLAS spells the symbol differently per build (scipy-openblas prefixes it, 64-bit-int builds suffix it).
    for symbol in ('scipy_openblas_get_corename64_', 'scipy_openblas_get_corename', 'openblas_get_corename64_', 'openblas_get_corename'):
        fn = getattr(lib, symbol, None)
        if fn is not None:
            fn.restype = ctypes.c_char_p
            corename = fn().decode()
            break
    if corename:
        break
print(json.dumps({'numpy': np.__version__, 'blas': ', '.join(os.path.basename(p) for p in libs) or 'unknown', 'corename': corename,
                  'coretypeEnv': os.environ.get('OPENBLAS_CORETYPE')}))
