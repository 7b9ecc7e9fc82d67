import { fileURLToPath } from 'node:url'
import { createSecrets, type Duration, envProvider, fileProvider } from '@secretkit/core'

/** The committed example secrets (obviously fake); point SECRETS_DIR elsewhere in real deployments. */
export const EXAMPLE_SECRETS_DIR = fileURLToPath(new URL('../secrets', import.meta.url))

/**
 * The app's secrets: each from a file, falling back to an environment variable.
 * `SECRETS_DIR` moves the folder, `SECRETS_TTL` sets how often values are re-read.
 */
export function createAppSecrets(env: NodeJS.ProcessEnv = process.env) {
  return createSecrets({
    providers: {
      file: fileProvider({ dir: env.SECRETS_DIR ?? EXAMPLE_SECRETS_DIR }),
      env: envProvider({ env }),
    },
    secrets: {
      webhookKey: ['file://webhook-key.txt', 'env://WEBHOOK_KEY'],
      adminToken: ['file://admin.env#ADMIN_TOKEN', 'env://ADMIN_TOKEN'],
    },
    // toMilliseconds() inside createSecrets rejects a malformed value with a SecretConfigError.
    cache: { ttl: (env.SECRETS_TTL ?? '5m') as Duration, refresh: 'background' },
  })
}

export type AppSecrets = ReturnType<typeof createAppSecrets>

declare module '@secretkit/express' {
  interface Register {
    secrets: AppSecrets
  }
}
