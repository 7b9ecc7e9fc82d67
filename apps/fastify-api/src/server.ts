import type { Duration } from '@secretkit/core'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'

// Configuration from the environment: PORT (default 3000), HOST (default 127.0.0.1),
// SECRETS_DIR (default ./secrets), SECRETS_TTL (default 5m), WEBHOOK_KEY (fallback for the key).
const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'

let app: FastifyInstance | undefined
try {
  app = await buildApp({
    ...(process.env.SECRETS_DIR ? { secretsDir: process.env.SECRETS_DIR } : {}),
    ...(process.env.SECRETS_TTL ? { ttl: process.env.SECRETS_TTL as Duration } : {}),
  })
  const running = app
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      running.close().then(
        () => process.exit(0),
        () => process.exit(1),
      )
    })
  }
  await app.listen({ port, host })
} catch (error) {
  // secretkit errors name secrets and references, never values.
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  process.stderr.write(`fastify-api failed to start: ${detail}\n`)
  await app?.close()
  process.exitCode = 1
}
