#!/usr/bin/env bash
# Installs what the tests need beyond npm: Mesa's software GPU for the WGSL backend and OpenBLAS for the JS
# backend's dense linear algebra (Debian packages), and NVRTC for compiling generated CUDA (a pip wheel into
# .cache/), Debian's headless Chromium for the browser suite; then compiles dist/ (the package as published).
# Idempotent.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/.ci/wgsl-setup.sh"
bash "$root/.ci/blas-setup.sh"
bash "$root/.ci/cuda-setup.sh"
bash "$root/.ci/browser-setup.sh"
# dist/ (the compiled package; `prepare` builds it on `npm ci` too, but not under --ignore-scripts).
node "$root/scripts/build.mjs"
