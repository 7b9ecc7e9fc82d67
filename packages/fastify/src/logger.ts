import type { SecretStore } from '@secretkit/core'
import type { FastifyServerOptions } from 'fastify'

/** Fastify's `logger` option in its object form (pino options plus Fastify's `stream`, `file`, …). */
export type FastifyLoggerConfig = Exclude<FastifyServerOptions['logger'], boolean | undefined>

/**
 * Fastify `logger` options whose every line passes through `store.scrub()` (pino's
 * `hooks.streamWrite`, after serialization, so messages, bindings, serialized errors and
 * request fields are all covered). Pass a function when the store is created later, e.g.
 * by the plugin's `{ config }` form: lines written before it exists pass unchanged.
 *
 * @example
 * const secrets = createSecrets({ providers, secrets })
 * const app = Fastify({ logger: secretkitLoggerOptions(secrets, { level: 'info' }) })
 * await app.register(secretkit, { secrets })
 */
export function secretkitLoggerOptions<O extends FastifyLoggerConfig = {}>(
  store: Pick<SecretStore<any>, 'scrub'> | (() => Pick<SecretStore<any>, 'scrub'> | undefined),
  options?: O,
): O & FastifyLoggerConfig {
  const scrub =
    typeof store === 'function'
      ? (line: string) => store()?.scrub(line) ?? line
      : (line: string) => store.scrub(line)
  const previous = options?.hooks?.streamWrite
  return {
    ...(options as O),
    hooks: {
      ...options?.hooks,
      streamWrite: previous === undefined ? scrub : (line: string) => scrub(previous(line)),
    },
  }
}
