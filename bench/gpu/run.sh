#!/usr/bin/env bash
# GPU host entry point: self-test of lensc's CUDA runtime (bench/gpu/selftest.js and checks/*.js).
# Run from the checkout root on the GPU machine, with the carried node (see shared/gpu/README.md):
#   source .gpu/env.sh && bash bench/gpu/run.sh [filter...]
# Prints PASS/FAIL lines and "N passed, M failed"; with $OUT set, also leaves gpu-selftest.log and
# gpu-selftest.json there. Exit status: the self-test's (0 = all passed).
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if ! command -v node >/dev/null; then
  echo "FAIL no node on PATH: start with 'source .gpu/env.sh' (made by shared/gpu/pack.sh)"
  exit 1
fi
{
  echo "== host: $(uname -srm), node $(node --version)"
  nvidia-smi --query-gpu=name,driver_version,memory.used,memory.total --format=csv,noheader 2>/dev/null || echo "(nvidia-smi not available)"
  echo "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
} | tee ${OUT:+"$OUT/gpu-selftest.log"}
# A hard limit well above the ~30 s the self-test takes on an H100, so a hang still returns output.
timeout -k 10 "${LENSC_SELFTEST_TIMEOUT_S:-240}" node bench/gpu/selftest.js "$@" 2>&1 | tee -a ${OUT:+"$OUT/gpu-selftest.log"}
rc=${PIPESTATUS[0]}
[ "$rc" = 124 ] && echo "FAIL self-test timed out after ${LENSC_SELFTEST_TIMEOUT_S:-240} s"
exit "$rc"
