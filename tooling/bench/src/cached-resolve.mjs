// DESIGN.md §8: a cached `secrets.resolve(ref)` is at least 3× faster than Powertools'
// cached `getSecret(name)`. Both sides read the same fake AWS upstream and are warm first.
import { createSecrets } from '@secretkit/core'
import { fakeAwsProvider } from './fake-aws-upstream.mjs'
import { powertoolsGetSecret } from './powertools.mjs'
import { formatRatio, LOOP, measureLoops, ratioOf } from './report.mjs'

export const title = 'cached resolve() vs Powertools getSecret()'

const TARGET = 3
const SECRET = 'bench/warm'

/** @type {import('./report.mjs').Group['run']} */
export async function run({ upstream: startUpstream }) {
  const upstream = await startUpstream()
  upstream.set(SECRET, '{"password":"bench-warm-password"}')
  const getSecret = powertoolsGetSecret(upstream.url)
  const secrets = createSecrets({ providers: { aws: fakeAwsProvider(upstream.url) } })
  const ref = `aws://${SECRET}`

  const before = upstream.requests.getSecretValue
  await secrets.resolve(ref)
  await getSecret(SECRET)
  const warmups = upstream.requests.getSecretValue - before

  let sink = 1
  const { nsPerCall, rows } = await measureLoops({
    'Powertools getSecret (cached)': async () => {
      let total = 0
      for (let i = 0; i < LOOP; i++) total += String(await getSecret(SECRET)).length
      sink = (sink + total) & 0xffff
    },
    'secrets.resolve (cached)': async () => {
      let total = 0
      for (let i = 0; i < LOOP; i++) total += (await secrets.resolve(ref)).length
      sink = (sink + total) & 0xffff
    },
  })
  const during = upstream.requests.getSecretValue - before - warmups
  await secrets.close()
  if (sink === 1) throw new Error('no reads happened')

  const speedup = ratioOf(nsPerCall, 'Powertools getSecret (cached)', 'secrets.resolve (cached)')
  return {
    rows,
    checks: [
      {
        name: 'Powertools getSecret time / cached resolve() time',
        measured: formatRatio(speedup.median),
        target: `≥ ${TARGET}×`,
        pass: speedup.median >= TARGET,
        note: `mean ratio ${formatRatio(speedup.mean)}; ${during} upstream calls while measuring`,
      },
    ],
  }
}
