import type { SecretStore } from '@secretkit/core'
import type { RequestHandler } from 'express'

/**
 * Tells `req.secrets` which store it holds. Augment it once, next to where the store is
 * created, and every handler sees the declared names and value types:
 *
 * @example
 * export const secrets = createSecrets({ providers, secrets: { webhookKey: 'file://webhook-key' } })
 * declare module '@secretkit/express' {
 *   interface Register { secrets: typeof secrets }
 * }
 * // req.secrets.get('webhookKey') is now `string`; req.secrets.get('typo') does not compile.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by users through declaration merging
export interface Register {}

/** The store type of `req.secrets`: the one registered in {@link Register}, else any store. */
export type RegisteredSecretStore = Register extends { secrets: infer S extends SecretStore<any> }
  ? S
  : SecretStore

declare global {
  namespace Express {
    interface Request {
      /** The secret store, set by `secretsMiddleware(store)`. */
      secrets: RegisteredSecretStore
    }
  }
}

/**
 * Puts the store on every request as `req.secrets`. Reads through it are synchronous and
 * come from memory (`req.secrets.get('name')`), so rotated values are seen without restart.
 *
 * @example
 * app.use(secretsMiddleware(secrets))
 * app.post('/sign', (req, res) => {
 *   res.json({ signature: sign(req.secrets.get('webhookKey'), req.body) })
 * })
 */
export function secretsMiddleware(store: SecretStore<any>): RequestHandler {
  const secrets = store as RegisteredSecretStore
  return function secretkitSecrets(req, _res, next) {
    req.secrets = secrets
    next()
  }
}
