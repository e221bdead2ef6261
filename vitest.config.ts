import { defineConfig } from 'vitest/config';

// CI asks for a JSON report (LENSC_JSON_REPORT=path) to print its own "N passed, N failed" line.
const json = process.env.LENSC_JSON_REPORT;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: json ? ['default', ['json', { outputFile: json }]] : ['default'],
  },
});
