#!/usr/bin/env bash
# bench/gpu/run.sh: trop's GPU benchmark, one script for a GPU machine with
# no MLIR (issue 12, docs/gpu.md).
#
#   bench/gpu/run.sh [--dry-run] [--small] [--prepared DIR] [--probe FILE.cu]
#                    [--runs N] [--doc FILE.md]
#
# 1. Equivalence: each check_* program (AOT-built by prepare.py with
#    trop-compile --pipeline gpu) runs on .npy inputs and compares its result
#    bit for bit with the reference pipeline's, computed on the CPU.
# 2. Timing: trop's f32 max-plus and min-plus 4096^3 and 8192^3, f16, i32, the
#    3x3 morphological conv and paper A's head (kernels' device time, CUDA
#    events through libTropCudaRuntime).
# 3. The yardstick: ../shared/tools/maxplus_ceiling_gpu.cu built with nvcc and
#    run in the same call; PyTorch's chunked broadcast form and cuBLAS SGEMM
#    (torch.matmul) at 4096^3 and 8192^3 when torch is installed.
# 4. One table, printed and written to docs/benchmarks-gpu.md with the
#    device's name.
#
# The prepared directory (default bench/gpu/prepared) comes from
# bench/gpu/prepare.py on a machine with trop built; run.sh runs it first when
# the directory lacks a manifest and a trop build is at hand. On the device
# machine, carry it: run(carry=["bench/gpu/prepared"], command="bench/gpu/run.sh").
#
# --dry-run runs everything but the GPU kernels, on a machine without a GPU:
# prepares (here), checks that every file is there, runs each program once
# with no CUDA driver to see it load and report that cleanly, finds the probe
# and nvcc, and prints the table with "not measured"; the document goes to
# the prepared directory, not docs/. --small prepares reduced shapes (CI).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dry=0 small="" prepared="$here/prepared" probe="" runs=5 doc=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry=1 ;;
    --small) small=--small ;;
    --prepared) prepared=$2; shift ;;
    --probe) probe=$2; shift ;;
    --runs) runs=$2; shift ;;
    --doc) doc=$2; shift ;;
    *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$doc" ] || { [ $dry = 1 ] && doc="$prepared/benchmarks-gpu.md" || doc="$root/docs/benchmarks-gpu.md"; }
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
start=$(date +%s)
step() { echo "== $* ($(( $(date +%s) - start )) s)"; }

if [ ! -f "$prepared/manifest.json" ] || [ $dry = 1 ]; then
  if [ -x "${TROP_BUILD_DIR:-$root/build}/bin/trop-compile" ]; then
    step "prepare: AOT-compiling the workloads and computing the reference results"
    "$py" "$here/prepare.py" --out "$prepared" $small || exit 1
  elif [ ! -f "$prepared/manifest.json" ]; then
    echo "run.sh: no $prepared/manifest.json and no trop build to prepare it" >&2
    exit 1
  fi
fi
manifest="$prepared/manifest.json"
names=$("$py" -c "import json,sys; print(' '.join(e['name'] for e in json.load(open(sys.argv[1]))))" "$manifest")
lines="$prepared/results.txt"
: > "$lines"

step "files"
missing=0
for name in $names; do
  [ -x "$prepared/$name" ] || { echo "missing: $prepared/$name"; missing=1; }
done
for f in $("$py" -c "import json,sys; print(' '.join(x for e in json.load(open(sys.argv[1])) for x in e.get('inputs', []) + [e.get('expected', '')] if x))" "$manifest"); do
  [ -f "$prepared/$f" ] || { echo "missing: $prepared/$f"; missing=1; }
done
[ -f "$prepared/libTropCudaRuntime.so" ] || { echo "missing: libTropCudaRuntime.so"; missing=1; }
[ $missing = 0 ] || exit 1
echo "all $(echo $names | wc -w) programs and their inputs are present"

# The ceiling probe: --probe, else ../shared/tools next to the repository.
if [ -z "$probe" ]; then
  for dir in "$root/../shared/tools" "$root/shared/tools" "$root/../../shared/tools"; do
    [ -f "$dir/maxplus_ceiling_gpu.cu" ] && { probe="$dir/maxplus_ceiling_gpu.cu"; break; }
  done
fi
nvcc=$(command -v nvcc || { [ -x /usr/local/cuda/bin/nvcc ] && echo /usr/local/cuda/bin/nvcc; })
echo "probe: ${probe:-not found}; nvcc: ${nvcc:-not found}"
have_torch=0
"$py" -c "import torch; assert torch.cuda.is_available()" 2>/dev/null && have_torch=1
echo "torch with CUDA: $([ $have_torch = 1 ] && echo yes || echo no)"

if [ $dry = 1 ]; then
  if [ -n "$probe" ] && [ -n "$nvcc" ] && [ -z "$small" ]; then
    step "dry run: building the probe for sm_90 (not run)"
    "$nvcc" -O3 -arch=sm_90 "$probe" -o "$prepared/maxplus_ceiling_gpu" && echo "probe built"
  fi
  step "dry run: each program loads and reports the missing driver cleanly"
  for name in $names; do
    out=$(TROP_CUDA_DRIVER="$prepared/no-driver/libcuda.so.1" "$prepared/$name" bench 1 2>/dev/null)
    rc=$?
    case "$rc:$out" in
      1:*"no CUDA driver (libcuda.so.1) found"*) echo "$name: loads; no driver reported (not measured)" ;;
      *) echo "$name: UNEXPECTED (exit $rc): $out"; exit 1 ;;
    esac
  done
else
  step "equivalence checks"
  for name in $names; do
    args=$("$py" -c "import json,sys; e=[e for e in json.load(open(sys.argv[1])) if e['name']==sys.argv[2]][0]; print(' '.join(e.get('inputs', []) + [e.get('expected', '')]) if e['kind']=='check' else '')" "$manifest" "$name")
    [ -n "$args" ] || continue
    (cd "$prepared" && "./$name" check $args) | tee -a "$lines"
  done
  if [ -n "$probe" ] && [ -n "$nvcc" ]; then
    step "ceiling probe"
    "$nvcc" -O3 -arch=native "$probe" -o "$prepared/maxplus_ceiling_gpu" &&
      "$prepared/maxplus_ceiling_gpu" | tee -a "$lines"
  fi
  step "trop"
  for name in $names; do
    case "$name" in check_*) continue ;; esac
    "$prepared/$name" bench "$runs" | tee -a "$lines"
  done
  if [ $have_torch = 1 ]; then
    step "PyTorch"
    sizes=$("$py" -c "import json,sys; print(' '.join(sorted({e['torch'] for e in json.load(open(sys.argv[1])) if e['torch']}, key=int)))" "$manifest")
    "$py" "$here/torch_baseline.py" $sizes | tee -a "$lines"
  fi
fi

step "report"
"$py" "$here/report.py" "$manifest" "$lines" "$doc" $([ $dry = 1 ] && echo --dry-run)
echo "written: $doc"
