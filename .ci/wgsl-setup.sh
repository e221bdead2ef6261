#!/usr/bin/env bash
# CI step for the WGSL backend: install Mesa's software GPU (llvmpipe) and surfaceless EGL so Dawn's
# OpenGL ES backend (the `webgpu` npm package) finds an adapter on GPU-less runners. Idempotent and
# non-interactive; skips apt entirely when the packages are already there. The runtime sets
# EGL_PLATFORM=surfaceless itself when unset.
set -euo pipefail

packages=(libegl1 libegl-mesa0 libgles2 libegl-dev libgl1-mesa-dri)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "wgsl-setup: Mesa EGL/GLES packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "wgsl-setup: installing ${missing[*]}"
# env (not export) so the setting survives sudo's environment reset.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
