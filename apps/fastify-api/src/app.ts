import { createHmac } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import {
  createSecrets,
  type Duration,
  envProvider,
  fileProvider,
  type InferSecrets,
  type SecretStore,
} from '@secretkit/core'
import { type FastifyLoggerConfig, secretkit, secretkitLoggerOptions } from '@secretkit/fastify'
import Fastify, { type FastifyInstance } from 'fastify'

/** The app's secrets: the HMAC key comes from `<dir>/webhook-key.txt`, else from `$WEBHOOK_KEY`. */
export const declarations = {
  webhookKey: ['file://webhook-key.txt', 'env://WEBHOOK_KEY'],
} as const

export type AppSecrets = SecretStore<InferSecrets<typeof declarations>>

declare module '@secretkit/fastify' {
  interface SecretkitFastifyRegister {
    store: AppSecrets
  }
}

/** `apps/fastify-api/secrets`, which holds obviously fake example files. */
export const DEFAULT_SECRETS_DIR = fileURLToPath(new URL('../secrets', import.meta.url))

export interface AppOptions {
  /** Folder of the file provider. @default DEFAULT_SECRETS_DIR */
  secretsDir?: string
  /** How long a loaded value is fresh before the background refresh replaces it. @default '5m' */
  ttl?: Duration
  /** Fastify logger options (every line is scrubbed), or `false`. @default { level: 'info' } */
  logger?: FastifyLoggerConfig | false
}

/** The sample app, secrets loaded: rejects with `SecretsLoadError` when a required secret is missing. */
export async function buildApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const secrets = createSecrets({
    providers: {
      file: fileProvider({ dir: options.secretsDir ?? DEFAULT_SECRETS_DIR }),
      env: envProvider(),
    },
    secrets: declarations,
    cache: { ttl: options.ttl ?? '5m' },
  })
  const app = Fastify({
    logger:
      options.logger === false ? false : secretkitLoggerOptions(secrets, options.logger ?? { level: 'info' }),
  })
  try {
    await app.register(secretkit, { secrets, readiness: true })
  } catch (error) {
    await secrets.close()
    throw error
  }
  registerRoutes(app, () => app.secrets.get('webhookKey'))
  return app
}

/** The same routes with the key passed in directly and no secretkit: the benchmark's baseline. */
export function buildBareApp(webhookKey: string): FastifyInstance {
  const app = Fastify({ logger: false })
  registerRoutes(app, () => webhookKey)
  return app
}

/** HMAC-SHA256 of `body` in hex, as `POST /webhooks/sign` returns it. */
export function sign(key: string, body: Uint8Array | string): string {
  return createHmac('sha256', key).update(body).digest('hex')
}

const signResponse = {
  200: { type: 'object', properties: { signature: { type: 'string' } }, required: ['signature'] },
} as const

export function registerRoutes(app: FastifyInstance, webhookKey: () => string): void {
  app.register(async (webhooks) => {
    // Sign the bytes as received: re-serialized JSON would not match the sender's signature.
    webhooks.removeAllContentTypeParsers()
    webhooks.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))
    webhooks.post('/webhooks/sign', { schema: { response: signResponse } }, async (request) => ({
      signature: sign(webhookKey(), (request.body as Buffer | undefined) ?? ''),
    }))
  })

  // Demonstrates scrubbing: the key reaches a log line and an error message, and neither
  // the response nor the log shows it.
  app.get('/demo/leaky-error', async (request) => {
    const key = webhookKey()
    request.log.warn(`about to call upstream with key ${key}`)
    throw new Error(`upstream rejected webhook key ${key}`)
  })
}
