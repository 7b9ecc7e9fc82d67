import { type TRPC_ERROR_CODE_KEY, TRPCError, type TRPCMiddlewareFunction } from '@trpc/server'

export interface RequireSecretsOptions {
  /**
   * The code the procedure fails with. The default, `INTERNAL_SERVER_ERROR` (HTTP 500), says
   * "the server is broken, not your request"; use `'SERVICE_UNAVAILABLE'` (503) if your clients
   * or load balancer should retry, e.g. while a provider is down.
   * @default 'INTERNAL_SERVER_ERROR'
   */
  code?: TRPC_ERROR_CODE_KEY
  /** The message clients see. It names no secret and no value. @default 'A secret this procedure needs is unavailable' */
  message?: string
}

/** A store that can read the named secrets: what `requireSecrets` needs on `ctx.secrets`. */
export interface StoreWith<N extends string> {
  get(name: N): unknown
}

/**
 * A middleware that fails the procedure, before its resolver runs, unless every named secret
 * can be read from `ctx.secrets` right now: loaded, and fresh or within the stale windows. It
 * throws a `TRPCError` with {@link RequireSecretsOptions.code}, a message naming nothing, and
 * the secretkit error (names, references and codes only) as `cause` for your `onError` log.
 * The names are checked against the store type on `ctx.secrets`.
 *
 * @example
 * const signed = t.procedure.use(requireSecrets(['webhookKey']))
 */
export function requireSecrets<const N extends string>(
  names: readonly N[],
  options: RequireSecretsOptions = {},
): TRPCMiddlewareFunction<{ secrets: StoreWith<N> }, any, object, object, unknown> {
  const code = options.code ?? 'INTERNAL_SERVER_ERROR'
  const message = options.message ?? 'A secret this procedure needs is unavailable'
  const required = [...names]
  return function requireSecretsMiddleware(opts) {
    const store = opts.ctx.secrets
    for (const name of required) {
      try {
        store.get(name)
      } catch (cause) {
        throw new TRPCError({ code, message, cause })
      }
    }
    return opts.next()
  }
}
