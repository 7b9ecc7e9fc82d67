// Shared vitest preset. Workspace packages resolve to their TypeScript sources through the
// "@secretkit/source" export condition, so tests never need a prior build of a dependency.
import { defineConfig, mergeConfig } from 'vitest/config'

export const sourceCondition = '@secretkit/source'

/** @param {import('vitest/config').UserConfig} [overrides] */
export function secretkitVitestConfig(overrides = {}) {
  return mergeConfig(
    defineConfig({
      resolve: { conditions: [sourceCondition] },
      ssr: { resolve: { conditions: [sourceCondition] } },
      test: {
        include: ['test/**/*.test.ts'],
        typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.check.json' },
        testTimeout: 30_000,
        hookTimeout: 60_000,
        restoreMocks: true,
        // The JSON report feeds scripts/test-summary.mjs (the closing line of .ci/run).
        reporters: ['default', 'json'],
        outputFile: { json: './test-results/vitest.json' },
        unstubEnvs: true,
      },
    }),
    overrides,
  )
}
