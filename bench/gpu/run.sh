#!/usr/bin/env bash
# GPU host entry point (one call on the H100/H200 machine; see bench/gpu/README.md). From the checkout
# root, after /work/shared/gpu/pack.sh packed node + koffi into .gpu/:
#   source .gpu/env.sh && bash bench/gpu/run.sh [step...]
# Steps, in order (default all), each under its own `timeout` so one hang cannot eat the budget:
#   selftest     the CUDA runtime's self-test (bench/gpu/selftest.js, checks/*.js)          ≤ 50 s
#   conformance  every std kernel on cuda vs kernels/js on this CPU, 1e-10 (conformance.mjs)  ≤ 75 s
#   lensc        lensc timings (timings.mjs), one process per case: wtilde, preload, scan  ≤ 60+40+30 s
#                and curvature (curvatureMatrixFft on cuFFT at N = 256, S = 1000)          ≤ 60 s
#   jax          the same cases in JAX f64 (jax_bench.py)                                    ≤ 110 s
#                (no JAX on the host: the curvature FFT route in numpy on its CPU, numpy_fft_route.py ≤ 60 s)
# then summary.mjs prints lensc beside JAX and writes $OUT/gpu.json (everything, for the integrator).
# Worst case ~7.1 min; typically ~3.5. $OUT defaults to bench/out/gpu. Exit status: 0 when every step passed.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
OUT=${OUT:-$PWD/bench/out/gpu}
mkdir -p "$OUT"
export OUT
steps=${*:-selftest conformance lensc jax}
log="$OUT/gpu.log"
: > "$OUT/steps.jsonl"

have_node=1
command -v node >/dev/null || { have_node=0; echo "FAIL no node on PATH: start with 'source .gpu/env.sh' (made by shared/gpu/pack.sh)" | tee -a "$log"; }

{
  echo "== host: $(uname -srm)$([ $have_node = 1 ] && echo ", node $(node --version)")"
  nvidia-smi -L 2>/dev/null || echo "(nvidia-smi not available)"
  nvidia-smi --query-gpu=name,driver_version,memory.used,memory.total --format=csv,noheader 2>/dev/null
} | tee -a "$log"
nvidia-smi -L 2>/dev/null | head -1 > "$OUT/gpu-name.txt"

# step NAME LIMIT_S CMD...: runs CMD under a hard limit, tees its output, records rc and seconds
step() {
  local name=$1 limit=$2; shift 2
  echo "== step $name (limit ${limit} s): $*" | tee -a "$log"
  local t0=$SECONDS
  timeout -k 5 "$limit" "$@" 2>&1 | tee -a "$log"
  local rc=${PIPESTATUS[0]}
  [ "$rc" = 124 ] && echo "FAIL step $name timed out after ${limit} s" | tee -a "$log"
  echo "{\"step\":\"$name\",\"rc\":$rc,\"seconds\":$((SECONDS - t0))}" >> "$OUT/steps.jsonl"
}

for s in $steps; do
  case $s in
    selftest)    [ $have_node = 1 ] && LENSC_SELFTEST_BUDGET_S=35 step selftest 50 node bench/gpu/selftest.js ;;
    conformance) [ $have_node = 1 ] && step conformance 75 node bench/gpu/conformance.mjs ;;
    lensc)       if [ $have_node = 1 ]; then
                   step lensc-wtilde 60 node bench/gpu/timings.mjs wtilde
                   step lensc-preload 40 node bench/gpu/timings.mjs preload
                   step lensc-scan 30 node bench/gpu/timings.mjs scan
                   step lensc-curvature 60 node bench/gpu/timings.mjs curvature
                 fi ;;
    jax)         if python3 -c 'import jax' 2>/dev/null; then
                   step jax 110 python3 bench/gpu/jax_bench.py
                 else
                   # No JAX on the host: the curvature case's FFT route in numpy on the host CPU instead — a CPU
                   # time, not G4's GPU anchor; the jax step is recorded as failed so nobody reads it as JAX's.
                   echo "FAIL jax: python3 cannot import jax on this host; the numpy FFT route (CPU) runs instead" | tee -a "$log"
                   echo '{"step":"jax","rc":1,"seconds":0}' >> "$OUT/steps.jsonl"
                   step numpy-fft-route 60 python3 bench/gpu/numpy_fft_route.py --check
                 fi ;;
    *)           echo "unknown step '$s' (selftest conformance lensc jax)" | tee -a "$log" ;;
  esac
done

if [ $have_node = 1 ]; then
  timeout 20 node bench/gpu/summary.mjs 2>&1 | tee -a "$log"
fi
grep -q '"rc":[1-9]' "$OUT/steps.jsonl" && exit 1
exit 0
