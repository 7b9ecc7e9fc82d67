import { listenWithSecrets } from '@secretkit/express'
import { createApp } from './app.js'
import { createAppSecrets } from './secrets.js'

const secrets = createAppSecrets()
secrets.on('change', ({ name, version }) => console.log(`secret ${name} changed (version ${version})`))
secrets.on('error', ({ name, code, servingStale }) =>
  console.error(
    `secret ${name} failed to refresh: ${code}${servingStale ? ' (serving the last good value)' : ''}`,
  ),
)

try {
  const { url } = await listenWithSecrets(createApp(secrets), secrets, {
    port: Number(process.env.PORT ?? 3000),
    host: process.env.HOST ?? '127.0.0.1',
    onShutdown: () => console.log('express-api: shutting down'),
  })
  console.log(`express-api listening on ${url}`)
} catch (error) {
  // A SecretsLoadError lists every secret that failed (names, references, codes), never a value.
  console.error(secrets.scrub(error instanceof Error ? `${error.name}: ${error.message}` : String(error)))
  process.exitCode = 1
}
