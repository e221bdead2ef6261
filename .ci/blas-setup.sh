#!/usr/bin/env bash
# CI step for the JS backend's dense linear algebra: install OpenBLAS (Debian's pthread build, which also
# carries LAPACK's dpotrf), loaded at run time through koffi by backends/js/runtime/native_blas.js.
# Without it everything still works on the WebAssembly kernels, only slower. Idempotent and non-interactive.
set -euo pipefail

packages=(libopenblas0-pthread)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "blas-setup: OpenBLAS already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "blas-setup: no apt-get here; install OpenBLAS yourself (or set LENSC_BLAS_LIB), else the WebAssembly kernels run"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "blas-setup: installing ${missing[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
