"""Compares two .npy outputs of trop-run within a tolerance.

Usage: compare.py EXPECTED.npy ACTUAL.npy [--rtol R] [--atol A]

Prints the largest absolute difference, whether the arrays are bit-identical,
and 'compare: OK' when |actual - expected| <= atol + rtol * |expected|
everywhere (numpy.allclose, NaNs equal), else 'compare: FAIL' and exits 1.
For the reassociating rewrites of --trop-fold, which are exact in real
arithmetic but round differently.
"""

import argparse
import sys

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("expected")
    parser.add_argument("actual")
    parser.add_argument("--rtol", type=float, default=1e-5)
    parser.add_argument("--atol", type=float, default=1e-5)
    args = parser.parse_args()
    expected = np.load(args.expected)
    actual = np.load(args.actual)
    if expected.shape != actual.shape or expected.dtype != actual.dtype:
        print(f"compare: FAIL: {actual.dtype}{actual.shape} vs "
              f"{expected.dtype}{expected.shape}")
        return 1
    a = actual.astype(np.float64)
    e = expected.astype(np.float64)
    with np.errstate(invalid="ignore"):
        # Equal values (infinities included) and NaN pairs differ by 0.
        same = (a == e) | (np.isnan(a) & np.isnan(e))
        diff = np.where(same, 0.0, np.abs(a - e))
    identical = expected.tobytes() == actual.tobytes()
    print(f"max abs difference {diff.max() if diff.size else 0.0:.3g}, "
          f"bit-identical: {'yes' if identical else 'no'}")
    ok = np.allclose(actual, expected, rtol=args.rtol, atol=args.atol,
                     equal_nan=True)
    print("compare: OK" if ok else "compare: FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
