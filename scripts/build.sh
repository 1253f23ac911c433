#!/usr/bin/env bash
# Configures (once) and builds trop in $TROP_BUILD_DIR (default: build/).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR="${TROP_BUILD_DIR:-build}"
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -G Ninja -S . -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 \
    -DCMAKE_CXX_COMPILER=clang++-22 \
    ${TROP_CMAKE_ARGS:-}
fi
ninja -C "$BUILD_DIR" "$@"
