// `npm run test:browser`: the Playwright suite (test/browser/*.spec.ts) — a real headless Chromium, WebGPU on
// SwiftShader. The browser is Debian's (scripts/setup.sh installs chromium-headless-shell with apt), never a
// Playwright download; LENSC_CHROMIUM overrides the path. CI asks for a JSON report (LENSC_PLAYWRIGHT_REPORT).
import { defineConfig } from '@playwright/test';

const json = process.env.LENSC_PLAYWRIGHT_REPORT;

export default defineConfig({
  testDir: 'test/browser',
  testMatch: '*.spec.ts',
  timeout: 300_000,
  workers: 1,
  reporter: json ? [['list'], ['json', { outputFile: json }]] : [['list']],
});
