#!/usr/bin/env bash
# CI step for the browser suite (npm run test:browser): Debian's headless Chromium, whose SwiftShader gives
# WebGPU without a GPU. Playwright drives it through executablePath (playwright.config.ts), so no Playwright
# browser download is needed. Idempotent; skips apt when the browser is there.
set -euo pipefail
if command -v chromium-headless-shell >/dev/null 2>&1 || command -v chromium >/dev/null 2>&1; then
  echo "browser-setup: Chromium already installed"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "browser-setup: installing chromium-headless-shell"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium-headless-shell
