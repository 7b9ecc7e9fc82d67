// Benchmark group: Express 5 sample app (apps/express-api) with @secretkit/express vs the same
// signing route with the key passed directly. Run alone: node tooling/bench/src/express.mjs
import { fileURLToPath, pathToFileURL } from 'node:url'
import { measureIntegrationRatio } from './support/http-ratio.mjs'

export const title = 'Express: sign route req/s with @secretkit/express vs without'

/**
 * @param {import('./report.mjs').BenchContext} [_context] unused: this group starts its own servers
 * @param {{ duration?: number, repeats?: number }} [options] `--quick` on the command line: 2 × 1 s
 */
export async function run(_context, options = {}) {
  const { rows, checks, settings } = await measureIntegrationRatio({
    ...options,
    name: 'express',
    appDir: fileURLToPath(new URL('../../../apps/express-api/', import.meta.url)),
    request: {
      method: 'POST',
      path: '/webhooks/sign',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payload: JSON.stringify({ event: 'invoice.paid', id: 42 }) }),
    },
  })
  return {
    title: `Express: POST /webhooks/sign req/s, autocannon ${settings.connections} connections, ${settings.repeats}×${settings.duration}s interleaved rounds, median req/s and median per-round ratio`,
    rows,
    checks,
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { title, rows, checks } = await run(
    undefined,
    process.argv.includes('--quick') ? { duration: 1, repeats: 2 } : {},
  )
  console.log(title)
  console.table(rows)
  console.table(checks)
}
