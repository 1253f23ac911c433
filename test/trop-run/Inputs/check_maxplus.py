#!/usr/bin/env python3
"""Checks a max-plus matrix product written by trop-run against numpy.

    check_maxplus.py RESULT.npy A.npy B.npy C.npy [--range LO HI]

Prints the number of elements that differ from max(C, max_k A[:, k] + B[k, :])
computed in the arrays' own float type (bitwise, NaNs equal), and, with
--range, how many elements of A, B and C lie outside [LO, HI).
"""

import argparse

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("result")
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("c")
    parser.add_argument("--range", nargs=2, type=float)
    args = parser.parse_args()

    result, a, b, c = (np.load(path) for path in
                       (args.result, args.a, args.b, args.c))
    sums = a[:, :, None] + b[None, :, :]  # one rounding, in the dtype
    expected = np.maximum(c, sums.max(axis=1))
    same = (result.view(np.uint8).reshape(result.shape + (-1,)) ==
            expected.view(np.uint8).reshape(expected.shape + (-1,))).all(-1)
    same |= np.isnan(result) & np.isnan(expected)
    print(f"dtype {result.dtype}, shape {result.shape}, "
          f"{int((~same).sum())} mismatches")
    if args.range:
        lo, hi = args.range
        outside = sum(int(((x < lo) | (x >= hi)).sum()) for x in (a, b, c))
        print(f"{outside} inputs outside [{lo:g}, {hi:g})")


if __name__ == "__main__":
    main()
