// Baseline server for the benchmark: the sample's signing route with the key read once from the environment.
import type { AddressInfo } from 'node:net'
import { createBaselineApp } from './baseline.js'

const key = process.env.WEBHOOK_KEY
if (key === undefined) {
  console.error('baseline: set WEBHOOK_KEY')
  process.exit(1)
}
const server = createBaselineApp(key).listen(
  Number(process.env.PORT ?? 3001),
  process.env.HOST ?? '127.0.0.1',
  () => {
    const { address, port } = server.address() as AddressInfo
    console.log(`express-api baseline listening on http://${address}:${port}`)
  },
)
process.once('SIGTERM', () => server.close())
