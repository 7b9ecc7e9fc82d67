import type { SecretStore } from '@secretkit/core'

/** The context fragment `createSecretsContext` adds: `ctx.secrets`. */
export interface SecretsContext<S extends SecretStore<any> = SecretStore> {
  secrets: S
}

/**
 * A context creator that puts the store on `ctx.secrets`. Given your own creator, it runs it
 * and adds `secrets` to what it returns; alone it returns just `{ secrets }`.
 *
 * @example
 * const createContext = createSecretsContext(secrets, ({ req }) => ({ user: userOf(req) }))
 * const t = initTRPC.context<typeof createContext>().create()
 * // in a procedure: ctx.secrets.get('webhookKey'), ctx.user
 */
export function createSecretsContext<S extends SecretStore<any>>(store: S): () => SecretsContext<S>
export function createSecretsContext<S extends SecretStore<any>, A extends unknown[], C extends object>(
  store: S,
  inner: (...args: A) => Promise<C>,
): (...args: A) => Promise<Omit<C, 'secrets'> & SecretsContext<S>>
export function createSecretsContext<S extends SecretStore<any>, A extends unknown[], C extends object>(
  store: S,
  inner: (...args: A) => C,
): (...args: A) => Omit<C, 'secrets'> & SecretsContext<S>
export function createSecretsContext(
  store: SecretStore<any>,
  inner?: (...args: unknown[]) => object | Promise<object>,
): (...args: unknown[]) => object | Promise<object> {
  if (inner === undefined) {
    const context = { secrets: store }
    return () => ({ ...context })
  }
  return (...args) => {
    const created = inner(...args)
    return created instanceof Promise
      ? created.then((value) => ({ ...value, secrets: store }))
      : { ...created, secrets: store }
  }
}
