import type { AddressInfo } from 'node:net'
import { secretsOnError } from '@secretkit/trpc'
import { createHTTPServer } from '@trpc/server/adapters/standalone'
import { createAppRouter } from './router.js'
import { createAppSecrets } from './secrets.js'

const secrets = createAppSecrets()
secrets.on('change', ({ name, version }) => console.log(`secret ${name} changed (version ${version})`))
secrets.on('error', ({ name, code, servingStale }) =>
  console.error(
    `secret ${name} failed to refresh: ${code}${servingStale ? ' (serving the last good value)' : ''}`,
  ),
)

try {
  await secrets.load() // before listening: the first call already has every secret
} catch (error) {
  // A SecretsLoadError lists every secret that failed (names, references, codes), never a value.
  console.error(secrets.scrub(error instanceof Error ? `${error.name}: ${error.message}` : String(error)))
  await secrets.close()
  process.exit(1)
}

const { router, createContext } = createAppRouter(secrets)
const server = createHTTPServer({ router, createContext, onError: secretsOnError(secrets) })
server.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo
  console.log(`trpc-api listening on http://${address}:${port}`)
})

async function shutdown() {
  console.log('trpc-api: shutting down')
  await new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeIdleConnections()
  })
  await secrets.close()
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void shutdown())
