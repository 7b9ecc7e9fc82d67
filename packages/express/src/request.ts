import type { SecretStore } from '@secretkit/core'
import type { Express as ExpressApp, RequestHandler } from 'express'

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
      /** The secret store, set by `attachSecrets(app, store)` or `secretsMiddleware(store)`. */
      secrets: RegisteredSecretStore
    }
  }
}

/**
 * Makes `req.secrets` the store on every request `app` handles, at no cost per request: the
 * store is defined once on `app.request`, the prototype Express gives each of the app's
 * requests (and, through it, the requests of sub-apps mounted on it). Reads through it are
 * synchronous and come from memory, so rotated values are seen without restart. Use
 * {@link secretsMiddleware} to give one router or sub-app a different store.
 *
 * @example
 * const app = express()
 * attachSecrets(app, secrets)
 * app.post('/sign', (req, res) => {
 *   res.json({ signature: sign(req.secrets.get('webhookKey'), req.body) })
 * })
 */
export function attachSecrets(app: Pick<ExpressApp, 'request'>, store: SecretStore<any>): void {
  // Writable, so a secretsMiddleware further down can still set its own store on a request.
  Object.defineProperty(app.request, 'secrets', {
    value: store,
    writable: true,
    configurable: true,
    enumerable: false,
  })
}

/**
 * Puts the store on every request that passes through it as `req.secrets` — one property
 * assignment per request. Prefer {@link attachSecrets} for a whole app; use this on a router
 * or sub-app that needs its own store. Reads through it are synchronous and
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
