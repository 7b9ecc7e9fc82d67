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
        // Tests talk to loopback peers only. Turn off every cloud SDK's metadata-service probe
        // (AWS IMDS, GCP metadata server) so a missing credential fails fast and locally; child
        // processes started by tests inherit these too.
        env: {
          AWS_EC2_METADATA_DISABLED: 'true',
          METADATA_SERVER_DETECTION: 'none',
          GCE_METADATA_HOST: '127.0.0.1:9',
          GCE_METADATA_IP: '127.0.0.1:9',
        },
        // The JSON report feeds scripts/test-summary.mjs (the closing line of .ci/run).
        reporters: ['default', 'json'],
        outputFile: { json: './test-results/vitest.json' },
        unstubEnvs: true,
      },
    }),
    overrides,
  )
}
