#!/usr/bin/env bash
# Installs the Debian 12 packages trop needs, when they are missing; with
# arguments, those packages instead (bench/setup.sh uses that).
# Idempotent: a second run installs nothing and does not touch apt's lists.
set -euo pipefail

PACKAGES=(
  cmake ninja-build
  clang-22 clang-format-22 llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools libomp-22-dev
  python3 python3-numpy python3-pytest python3-torch python3-sklearn python3-matplotlib
  python3-onnx libonnx-testdata python3-pip python3-setuptools python3-wheel
)
if [ $# -gt 0 ]; then
  PACKAGES=("$@")
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "setup: missing packages (${missing[*]}) and not root; install them or run as root" >&2
    exit 1
  fi
fi

echo "setup: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
