// DESIGN.md §8: a cached `secrets.get(name)` costs at most 2× a `Map.get`.
import { createSecrets } from '@secretkit/core'
import { createTestingProvider } from '@secretkit/core/testing'
import { formatRatio, LOOP, measureLoops, ratioOf } from './report.mjs'

export const title = 'cached get() vs Map.get'

const TARGET = 2

/** @type {import('./report.mjs').Group['run']} */
export async function run() {
  const upstream = createTestingProvider({ secrets: { 'prod/db': 'bench-db-password' } })
  const secrets = createSecrets({ providers: { up: upstream }, secrets: { dbPassword: 'up://prod/db' } })
  await secrets.load()
  const map = new Map([['dbPassword', 'bench-db-password']])

  // Summing lengths keeps the reads observable, so the JIT cannot drop either loop; the sum
  // stays a small integer (a growing one would deoptimise the loop into float arithmetic).
  let sink = 1
  const { nsPerCall, rows } = await measureLoops({
    'Map.get': () => {
      let total = 0
      for (let i = 0; i < LOOP; i++) total += /** @type {string} */ (map.get('dbPassword')).length
      sink = (sink + total) & 0xffff
    },
    'secrets.get (cached)': () => {
      let total = 0
      for (let i = 0; i < LOOP; i++) total += secrets.get('dbPassword').length
      sink = (sink + total) & 0xffff
    },
  })
  await secrets.close()
  if (sink === 1) throw new Error('no reads happened')

  const ratio = ratioOf(nsPerCall, 'secrets.get (cached)', 'Map.get')
  return {
    rows,
    checks: [
      {
        name: 'cached get() time / Map.get time',
        measured: formatRatio(ratio.median),
        target: `≤ ${TARGET}×`,
        pass: ratio.median <= TARGET,
        note: `mean ratio ${formatRatio(ratio.mean)}`,
      },
    ],
  }
}
