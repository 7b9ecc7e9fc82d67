// DESIGN.md §8: 1,000 concurrent cold reads of one key make 1 upstream call (single-flight);
// Powertools' getSecret has no single-flight and makes one call per read.
import { createSecrets } from '@secretkit/core'
import { fakeAwsProvider } from './fake-aws-upstream.mjs'
import { powertoolsGetSecret } from './powertools.mjs'
import { formatCount } from './report.mjs'

export const title = '1,000 concurrent cold reads of one key'

const READS = 1_000
const SECRET = 'bench/cold'

/** @type {import('./report.mjs').Group['run']} */
export async function run({ upstream: startUpstream }) {
  const upstream = await startUpstream()
  upstream.set(SECRET, 'bench-cold-password')
  const getSecret = powertoolsGetSecret(upstream.url)
  // A new store has an empty cache; Powertools has never read this name, so it is cold too.
  const secrets = createSecrets({ providers: { aws: fakeAwsProvider(upstream.url) } })

  const secretkit = await measureBurst(upstream, () => secrets.resolve(`aws://${SECRET}`))
  const powertools = await measureBurst(upstream, () => getSecret(SECRET))
  await secrets.close()

  return {
    rows: [
      {
        task: `secrets.resolve × ${formatCount(READS)}`,
        'upstream calls': secretkit.calls,
        'wall ms': secretkit.ms,
      },
      {
        task: `Powertools getSecret × ${formatCount(READS)}`,
        'upstream calls': powertools.calls,
        'wall ms': powertools.ms,
      },
    ],
    checks: [
      {
        name: `upstream calls for ${formatCount(READS)} concurrent cold reads`,
        measured: String(secretkit.calls),
        target: '= 1',
        pass: secretkit.calls === 1,
        note: `Powertools: ${powertools.calls}`,
      },
    ],
  }
}

/**
 * Fires {@link READS} reads in the same tick and counts the upstream requests they cause.
 *
 * @param {import('./fake-aws-upstream.mjs').FakeAwsUpstream} upstream
 * @param {() => Promise<unknown>} read
 */
async function measureBurst(upstream, read) {
  const before = upstream.requests.getSecretValue
  const started = performance.now()
  const values = await Promise.all(Array.from({ length: READS }, read))
  const ms = (performance.now() - started).toFixed(1)
  if (values.some((value) => value !== values[0])) throw new Error('concurrent reads disagreed')
  return { calls: upstream.requests.getSecretValue - before, ms }
}
