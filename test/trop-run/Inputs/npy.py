#!/usr/bin/env python3
"""Writes a .npy file for trop-run's tests.

    npy.py PATH DTYPE EXPR [--fortran] [--truncate N] [--version 2.0]
           [--declare-shape SHAPE]

EXPR is a Python expression over `np` (e.g. 'np.arange(6).reshape(2, 3)')
converted to DTYPE. --fortran stores the array in Fortran order, --truncate
keeps only the first N bytes of the file, --version writes that format
version, --declare-shape writes a header declaring SHAPE (a Python tuple)
followed by the array's data, whatever its size.
"""

import argparse

import numpy as np
import numpy.lib.format as npformat


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("dtype")
    parser.add_argument("expr")
    parser.add_argument("--fortran", action="store_true")
    parser.add_argument("--truncate", type=int)
    parser.add_argument("--version", default="1.0")
    parser.add_argument("--declare-shape")
    args = parser.parse_args()

    array = np.asarray(eval(args.expr, {"np": np}), dtype=args.dtype)
    if args.fortran:
        array = np.asfortranarray(array)
    major, minor = (int(part) for part in args.version.split("."))
    with open(args.path, "wb") as f:
        if args.declare_shape:
            header = {"descr": npformat.dtype_to_descr(array.dtype),
                      "fortran_order": False, "shape": eval(args.declare_shape)}
            npformat.write_array_header_1_0(f, header)
            f.write(array.tobytes())
        else:
            npformat.write_array(f, array, version=(major, minor))
    if args.truncate is not None:
        with open(args.path, "rb") as f:
            data = f.read()
        with open(args.path, "wb") as f:
            f.write(data[: args.truncate])


if __name__ == "__main__":
    main()
