#!/usr/bin/env bash
# Installs the Debian 12 packages the benchmark needs beyond the build
# (SuiteSparse:GraphBLAS for a baseline, matplotlib for the plot), when missing.
set -euo pipefail
exec "$(dirname "$0")/../scripts/setup.sh" libgraphblas-dev python3-matplotlib
