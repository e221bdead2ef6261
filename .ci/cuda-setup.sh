#!/usr/bin/env bash
# CI step: install NVRTC (CUDA's runtime compiler, shipped as a pip wheel) into .cache/nvrtc so that the
# CUDA runtime's compile tests run on machines with no GPU and no CUDA toolkit libraries.
# The runtime looks in .cache/nvrtc/nvidia/cu13/lib by itself (backends/cuda/runtime/locate.js).
# Idempotent: a second run finds the library and does nothing. Fails loudly when pip cannot install it,
# because in CI the NVRTC tests must run, not skip.
set -eu
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest="$root/.cache/nvrtc"
lib="$dest/nvidia/cu13/lib/libnvrtc.so.13"
if [ -e "$lib" ] && [ -e "$dest/nvidia/cu13/lib/libnvrtc-builtins.so.13.0" ]; then
  echo "cuda-setup: NVRTC already at $lib"
  exit 0
fi
mkdir -p "$root/.cache"
# .cache/ holds downloads, never source: ignore it from inside so the shared .gitignore stays untouched.
[ -e "$root/.cache/.gitignore" ] || echo '*' > "$root/.cache/.gitignore"
py=$(command -v python3 || command -v python || true)
if [ -z "$py" ]; then echo "cuda-setup: no python3 to run pip with" >&2; exit 1; fi
tmp="$dest.tmp.$$"
rm -rf "$tmp"
# The wheel index is configured for pip on these machines (local index); --no-deps: NVRTC needs nothing else.
"$py" -m pip install -q --disable-pip-version-check --root-user-action=ignore --retries 1 --no-deps --target "$tmp" nvidia-cuda-nvrtc==13.0.88
# The .alt variants and headers are not used by the runtime; dropping them saves ~115 MB.
rm -f "$tmp"/nvidia/cu13/lib/*.alt.so*
rm -rf "$dest"
mv "$tmp" "$dest"
echo "cuda-setup: NVRTC installed at $lib"
