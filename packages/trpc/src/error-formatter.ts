import { inspect } from 'node:util'
import type { SecretStore } from '@secretkit/core'
import type { TRPCErrorFormatter, TRPCErrorShape } from '@trpc/server'

/**
 * An `errorFormatter` whose shape has every secret value the store handed out replaced by
 * `[redacted]`: the message, `data.stack` and any other string, however deeply nested. Pass
 * your own formatter to run it first.
 *
 * @example
 * const t = initTRPC.context<Context>().create({ errorFormatter: secretsErrorFormatter(secrets) })
 */
export function secretsErrorFormatter<TContext, TShape extends TRPCErrorShape>(
  store: SecretStore<any>,
  formatter?: TRPCErrorFormatter<TContext, TShape>,
): TRPCErrorFormatter<TContext, TShape> {
  return (opts) => store.scrubValue(formatter === undefined ? opts.shape : formatter(opts)) as TShape
}

export interface SecretsOnErrorOptions {
  /** Where the scrubbed line goes. @default console.error */
  log?: (line: string) => void
}

/**
 * An `onError` for tRPC adapters that logs one scrubbed line per error: path, code, and the
 * error as `util.inspect` renders it (stack and cause included).
 *
 * @example
 * createHTTPServer({ router, createContext, onError: secretsOnError(secrets) })
 */
export function secretsOnError(
  store: SecretStore<any>,
  options: SecretsOnErrorOptions = {},
): (opts: { error: { code: string }; path?: string | undefined }) => void {
  const log = options.log ?? ((line: string) => console.error(line))
  return ({ error, path }) => {
    log(store.scrub(`${path ?? '<no path>'} ${error.code}: ${inspect(error, { depth: 4 })}`))
  }
}
