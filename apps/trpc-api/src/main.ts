import type { AddressInfo } from 'node:net'
import { secretsOnError } from '@secretkit/trpc'
import { createHTTPServer } from '@trpc/server/adapters/standalone'
import { createAppRouter } from './router.js'
import { type AppSecrets, createAppSecrets } from './secrets.js'

const secrets = createAppSecrets()
secrets.on('change', ({ name, version }) => console.log(`secret ${name} changed (version ${version})`))
secrets.on('error', ({ name, code, servingStale }) =>
  console.error(
    `secret ${name} failed to refresh: ${code}${servingStale ? ' (serving the last good value)' : ''}`,
  ),
)

if (await loaded(secrets)) serve(secrets)

/** Loads every secret before anything listens, so the first call already has them. */
async function loaded(store: AppSecrets): Promise<boolean> {
  try {
    await store.load()
    return true
  } catch (error) {
    // A SecretsLoadError lists every secret that failed (names, references, codes), never a value.
    console.error(store.scrub(error instanceof Error ? `${error.name}: ${error.message}` : String(error)))
    await store.close()
    process.exitCode = 1
    return false
  }
}

function serve(store: AppSecrets): void {
  const { router, createContext } = createAppRouter(store)
  const server = createHTTPServer({ router, createContext, onError: secretsOnError(store) })
  server.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1', () => {
    const { address, port } = server.address() as AddressInfo
    console.log(`trpc-api listening on http://${address}:${port}`)
  })
  const shutdown = async () => {
    console.log('trpc-api: shutting down')
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeIdleConnections()
    })
    await store.close()
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void shutdown())
}
