import {
  createSecrets,
  SecretConfigError,
  type SecretDeclaration,
  type SecretStatus,
  type SecretStore,
  type SecretsOptions,
} from '@secretkit/core'
import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'

/**
 * Augment this interface to type `app.secrets` with your store's declared names.
 *
 * @example
 * const secrets = createSecrets({ providers, secrets: { webhookKey: 'env://WEBHOOK_KEY' } })
 * declare module '@secretkit/fastify' {
 *   interface SecretkitFastifyRegister { store: typeof secrets }
 * }
 * app.secrets.get('webhookKey') // string; app.secrets.get('typo') is a type error
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by users through declaration merging
export interface SecretkitFastifyRegister {}

/** The type of `app.secrets`: the registered store type, or an untyped `SecretStore`. */
export type RegisteredSecretStore = SecretkitFastifyRegister extends {
  store: infer S extends SecretStore<any>
}
  ? S
  : SecretStore

declare module 'fastify' {
  interface FastifyInstance {
    /** The secretkit store, loaded before the app is ready. Type it with {@link SecretkitFastifyRegister}. */
    secrets: RegisteredSecretStore
  }
}

/** Options every form of registration takes. */
export interface SecretkitFastifyCommonOptions {
  /** Name of the instance decorator that holds the store. @default 'secrets' */
  decorator?: string
  /**
   * A GET route reporting each declared secret's state, source and age (never a value);
   * 503 when a required secret is in state `error`, `failed` or `not-loaded`.
   * `true` mounts it at `/health/secrets`. Off by default: secret names and references
   * describe your infrastructure, so expose them only where you mean to.
   * @default false
   */
  readiness?: boolean | { path?: string }
  /** Replace secret values in error messages, error stacks and 4xx/5xx response bodies. @default true */
  scrubErrors?: boolean
  /**
   * Close a store you passed in (`{ secrets }`) when Fastify closes. A store the plugin
   * created from `{ config }` is always closed.
   * @default true
   */
  closeOnShutdown?: boolean
}

/** Register with a store you created (needed to scrub the logger from the first line). */
export interface SecretkitFastifyStoreOptions extends SecretkitFastifyCommonOptions {
  secrets: SecretStore<any>
  config?: never
}

/** Register with `createSecrets()` options: the plugin creates, loads and closes the store. */
export interface SecretkitFastifyConfigOptions extends SecretkitFastifyCommonOptions {
  config: SecretsOptions<Record<string, SecretDeclaration>>
  secrets?: never
}

/** Options of {@link secretkit}: a store (`secrets`) or the options to create one (`config`). */
export type SecretkitFastifyOptions = SecretkitFastifyStoreOptions | SecretkitFastifyConfigOptions

/** One row of the readiness report. */
export type SecretReadiness = Pick<
  SecretStatus,
  'name' | 'state' | 'source' | 'provider' | 'version' | 'ageMs' | 'optional' | 'errorCode'
>

/** Body of the readiness route. */
export interface SecretsReadinessReport {
  status: 'ok' | 'unavailable'
  secrets: SecretReadiness[]
}

const DEFAULT_READINESS_PATH = '/health/secrets'
const UNHEALTHY_STATES: ReadonlySet<SecretStatus['state']> = new Set(['error', 'failed', 'not-loaded'])

const plugin: FastifyPluginAsync<SecretkitFastifyOptions> = async (fastify, options) => {
  const decorator = options.decorator ?? 'secrets'
  if (fastify.hasDecorator(decorator)) {
    throw new SecretConfigError(`Fastify already has a "${decorator}" decorator`, {
      hint: "register @secretkit/fastify once, or pass { decorator: 'otherName' }",
    })
  }
  const owned = options.config !== undefined
  if (owned === (options.secrets !== undefined)) {
    throw new SecretConfigError('@secretkit/fastify needs exactly one of { secrets } or { config }', {
      hint: 'pass a store from createSecrets(), or the options to create one',
    })
  }
  const store: SecretStore<any> = owned ? createSecrets(options.config!) : options.secrets!
  const log = fastify.log.child({ plugin: '@secretkit/fastify' })

  try {
    await store.load()
  } catch (error) {
    // A store we created has no other owner to stop its timers; a passed-in store stays its owner's.
    if (owned) await store.close()
    throw error
  }
  fastify.decorate(decorator, store)
  info(log, store, `loaded ${store.names.length} secret${store.names.length === 1 ? '' : 's'}`)

  const offChange = store.on('change', (event) =>
    info(log, store, `secret "${event.name}" changed upstream`, {
      secret: event.name,
      provider: event.provider,
      version: event.version,
    }),
  )
  const offError = store.on('error', (event) =>
    log.warn(
      { secret: event.name, provider: event.provider, code: event.code, servingStale: event.servingStale },
      store.scrub(`refreshing secret "${event.name}" failed: ${event.error.message}`),
    ),
  )
  fastify.addHook('onClose', async () => {
    offChange()
    offError()
    if (owned || options.closeOnShutdown !== false) await store.close()
  })

  if (options.scrubErrors !== false) {
    // onError runs before the error handler, so both its log line and its response see the scrubbed error.
    fastify.addHook('onError', (_request, _reply, error, done) => {
      store.scrubErrorInPlace(error)
      done()
    })
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      if (reply.statusCode < 400) done(null, payload)
      else done(null, scrubPayload(store, payload))
    })
  }

  if (options.readiness !== undefined && options.readiness !== false) {
    const path =
      typeof options.readiness === 'object'
        ? (options.readiness.path ?? DEFAULT_READINESS_PATH)
        : DEFAULT_READINESS_PATH
    fastify.get(path, async (_request, reply) => {
      const report = readinessReport(store)
      reply.code(report.status === 'ok' ? 200 : 503).header('cache-control', 'no-store')
      return report
    })
  }
}

/** The readiness report for a store: names, states, sources and ages, never values. */
export function readinessReport(store: Pick<SecretStore<any>, 'status'>): SecretsReadinessReport {
  const secrets = store.status().map(
    (status): SecretReadiness => ({
      name: status.name,
      state: status.state,
      source: status.source,
      provider: status.provider,
      version: status.version,
      ageMs: status.ageMs,
      optional: status.optional,
      errorCode: status.errorCode,
    }),
  )
  const healthy = secrets.every((secret) => secret.optional || !UNHEALTHY_STATES.has(secret.state))
  return { status: healthy ? 'ok' : 'unavailable', secrets }
}

/** An error response body with secret values replaced. Streams pass through untouched. */
function scrubPayload(store: SecretStore<any>, payload: unknown): unknown {
  if (typeof payload === 'string') return store.scrub(payload)
  if (Buffer.isBuffer(payload)) {
    const text = payload.toString('utf8')
    const clean = store.scrub(text)
    return clean === text ? payload : clean
  }
  return payload
}

function info(
  log: FastifyBaseLogger,
  store: SecretStore<any>,
  message: string,
  fields: Record<string, unknown> = {},
): void {
  log.info(fields, store.scrub(message))
}

/**
 * The secretkit Fastify plugin. Awaits `load()` during registration, so `app.ready()` rejects
 * with the aggregate `SecretsLoadError` when a required secret is missing; decorates
 * `app.secrets`; scrubs secret values out of error responses and error logs; closes the
 * store when Fastify closes.
 *
 * @example
 * const app = Fastify({ logger: secretkitLoggerOptions(secrets) })
 * await app.register(secretkit, { secrets })
 * app.post('/sign', (req) => ({ signature: hmac(app.secrets.get('webhookKey'), req.body) }))
 */
export const secretkit = fp(plugin, { fastify: '5.x', name: '@secretkit/fastify' })
