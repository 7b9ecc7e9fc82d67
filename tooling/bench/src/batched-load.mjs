// DESIGN.md §8: `load()` of N secrets = ceil(N / batch size) upstream calls (AWS
// BatchGetSecretValue takes 20 ids, SSM GetParameters 10).
import { createSecrets } from '@secretkit/core'
import { createTestingProvider } from '@secretkit/core/testing'

export const title = 'load() of 100 declared secrets, batched'

const SECRETS = 100

/** @type {import('./report.mjs').Group['run']} */
export async function run() {
  /** @type {import('./report.mjs').Row[]} */
  const rows = []
  /** @type {import('./report.mjs').Check[]} */
  const checks = []
  for (const [label, maxBatchSize] of /** @type {const} */ ([
    ['AWS-like', 20],
    ['SSM-like', 10],
  ])) {
    /** @type {Record<string, string>} */
    const values = {}
    /** @type {Record<string, string>} */
    const declared = {}
    for (let i = 0; i < SECRETS; i++) {
      values[`app/secret-${i}`] = `bench-value-${i}`
      declared[`secret${i}`] = `up://app/secret-${i}`
    }
    const upstream = createTestingProvider({ secrets: values, maxBatchSize })
    const secrets = createSecrets({ providers: { up: upstream }, secrets: declared })
    const started = performance.now()
    await secrets.load()
    const ms = (performance.now() - started).toFixed(1)
    await secrets.close()
    const expected = Math.ceil(SECRETS / maxBatchSize)
    rows.push({
      task: `load() ${SECRETS} secrets, ${label} maxBatchSize ${maxBatchSize}`,
      'upstream calls': upstream.calls.total,
      'getMany calls': upstream.calls.getMany,
      'wall ms': ms,
    })
    checks.push({
      name: `upstream calls for load() of ${SECRETS} secrets, batch ${maxBatchSize}`,
      measured: String(upstream.calls.total),
      target: `= ${expected}`,
      pass: upstream.calls.total === expected,
    })
  }
  return { rows, checks }
}
