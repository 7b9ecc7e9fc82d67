import { join } from 'node:path'
import { type Duration, envProvider, fileProvider } from '@secretkit/core'
import type { SecretsModuleOptions } from '@secretkit/nestjs'

/**
 * Where the app's secrets come from: `SECRETS_DIR` (default: the committed, fake `secrets/`
 * folder) with the `WEBHOOK_KEY` environment variable as fallback. `SECRETS_TTL` sets how long
 * a value is fresh; the store refreshes it in the background before then.
 */
export function secretsOptions(env: NodeJS.ProcessEnv = process.env): SecretsModuleOptions {
  return {
    providers: {
      file: fileProvider({ dir: env.SECRETS_DIR ?? join(__dirname, '..', 'secrets') }),
      env: envProvider(),
    },
    secrets: {
      webhookKey: ['file://webhook-key.txt', 'env://WEBHOOK_KEY'],
    },
    // A malformed value fails startup with a SecretConfigError naming cache.ttl.
    cache: { ttl: (env.SECRETS_TTL ?? '5m') as Duration },
  }
}
