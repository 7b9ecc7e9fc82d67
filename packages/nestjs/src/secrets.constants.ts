/** Injection token of the loaded {@link SecretStore}; `@InjectSecrets()` injects it. */
export const SECRETS_STORE: unique symbol = Symbol('secretkit:SECRETS_STORE')

/**
 * Injection token of the live `SecretRef` for one declared secret; `@InjectSecret(name)` injects it.
 * `Symbol.for` keeps the token identical across copies of this package in one process.
 *
 * @example
 * moduleRef.get(secretToken('webhookKey'))
 */
export function secretToken(name: string): symbol {
  return Symbol.for(`secretkit:secret:${name}`)
}
