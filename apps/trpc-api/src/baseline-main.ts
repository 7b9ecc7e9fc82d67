// Baseline server for the benchmark: the sample's signing procedure with the key read once from the environment.
import type { AddressInfo } from 'node:net'
import { createHTTPServer } from '@trpc/server/adapters/standalone'
import { createBaselineRouter } from './baseline.js'

const key = process.env.WEBHOOK_KEY
if (key === undefined) {
  console.error('baseline: set WEBHOOK_KEY')
  process.exit(1)
}
const server = createHTTPServer({ router: createBaselineRouter(key) })
server.listen(Number(process.env.PORT ?? 3001), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo
  console.log(`trpc-api baseline listening on http://${address}:${port}`)
})
process.once('SIGTERM', () => server.close())
