import type { CacheOptions, RetryOptions } from './cache/policy.js'
import type { SecretDeclaration } from './declaration.js'
import type { SecretStoreEvents } from './events.js'
import type { SecretProvider } from './provider.js'
import type { Redacted } from './redacted.js'
import type { WithRotationOptions } from './rotation.js'

// The public shape of a secret store; the implementation lives in store.ts.

export interface SecretsOptions<D extends Record<string, SecretDeclaration>> {
  /** Providers by the name references use as their scheme: `{ aws: awsSecretsManager(), env: envProvider() }`. */
  providers: Record<string, SecretProvider>
  /** Declared secrets, loaded by `load()` and read with `get()`. */
  secrets?: D
  cache?: CacheOptions
  retry?: RetryOptions
  /** Which providers `tenant(t).get(name)` asks, in order. @default every provider that supports tenancy, in registration order */
  tenancy?: { providers?: readonly string[] }
}

export interface ResolveOptions {
  /** Return bytes instead of a UTF-8 string. */
  binary?: boolean
}

/** Health of one declared secret, for readiness checks and `secretkit check`. Never holds a value. */
export interface SecretStatus {
  name: string
  state: 'not-loaded' | 'fresh' | 'stale' | 'error' | 'missing' | 'failed'
  /** The reference that supplied the value (the winner of the fallback chain). */
  source: string | undefined
  provider: string | undefined
  version: string | undefined
  /** Milliseconds since the value was fetched. */
  ageMs: number | undefined
  optional: boolean
  refs: readonly string[]
  /** Error code of the last failure, if any. */
  errorCode: string | undefined
}

/** Where a tenant's secret was found, with the value wrapped so it prints `[redacted]`. */
export interface TenantSecretLookup {
  value: Redacted<string>
  /** The reference that had it, e.g. `env://ACME_STRIPE_API_KEY`. */
  source: string
  provider: string
  version: string | undefined
}

/** Secrets of one tenant, named per seed 003 by each provider. */
export interface TenantSecrets {
  readonly id: string
  /** Looks `name` (optionally `name#field`) up for this tenant, falling back to globals where the provider has them. */
  get(name: string): Promise<string>
  /** Like `get()`, and also says which source answered. */
  lookup(name: string): Promise<TenantSecretLookup>
}

export interface SecretStore<T extends Record<string, unknown> = Record<string, unknown>> {
  /** Fetches every declared secret (batched). Throws one {@link SecretsLoadError} listing every failure. */
  load(): Promise<void>
  /** The current value of a declared secret, synchronously from memory. */
  get<K extends keyof T & string>(name: K): T[K]
  /** Like `get()`, wrapped so it prints `[redacted]`. */
  redacted<K extends keyof T & string>(name: K): Redacted<T[K]>
  /** Reads any reference, cached under the same policy. */
  resolve(ref: string, options: ResolveOptions & { binary: true }): Promise<Uint8Array>
  resolve(ref: string, options?: ResolveOptions): Promise<string>
  /** Re-reads one declared secret (or all) from upstream now. On failure the last good value stays. */
  refresh(name?: keyof T & string): Promise<void>
  on<E extends keyof SecretStoreEvents>(event: E, listener: (event: SecretStoreEvents[E]) => void): () => void
  off<E extends keyof SecretStoreEvents>(event: E, listener: (event: SecretStoreEvents[E]) => void): void
  /** Per-tenant lookups with seed 003 naming. Tenant ids with `/`, `..` or NUL are refused. */
  tenant(id: string): TenantSecrets
  /**
   * Runs `fn(value)`; if it fails with an auth error, refreshes the secret once and runs
   * `fn` again with the new value: zero-downtime rotation.
   */
  withRotation<K extends keyof T & string, R>(
    name: K,
    fn: (value: T[K]) => R | Promise<R>,
    options?: WithRotationOptions,
  ): Promise<R>
  /** `text` with every secret value this store has handed out replaced by `[redacted]`. */
  scrub(text: string): string
  /**
   * A copy of `value` with every secret value this store has handed out replaced by
   * `[redacted]`, however deeply it sits: strings, numbers, arrays, plain objects, `Map`s,
   * `Set`s, and errors — copied with their prototype, `name`, `message`, `stack`, own
   * properties and `cause` chain (to a bounded depth); objects with `toJSON` and other class
   * instances through their JSON form. Cycles are kept. For log lines and error objects.
   *
   * @example
   * logger.error(secrets.scrubValue(error))
   */
  scrubValue<V>(value: V): V
  /**
   * `JSON.stringify(value)` with every secret value replaced, or `undefined` when that would
   * not be valid JSON (a secret inside a number) or there is nothing to serialise: for response
   * bodies. Cycles and `BigInt`s are left out.
   *
   * @example
   * res.type('json').send(secrets.scrubJson(body) ?? '{"error":"Internal Server Error"}')
   */
  scrubJson(value: unknown): string | undefined
  /**
   * Scrubs an error where it is — `message`, `stack`, own properties (nested objects replaced
   * by scrubbed copies), down the `cause` chain — for frameworks whose error handler and logger
   * keep the error object they were given. Prefer {@link SecretStore.scrubValue} elsewhere.
   */
  scrubErrorInPlace(error: unknown): void
  /** Names, sources, versions and ages of the declared secrets. */
  status(): SecretStatus[]
  /** Declared secret names. */
  readonly names: readonly (keyof T & string)[]
  /** Stops timers, closes provider clients and forgets values. */
  close(): Promise<void>
}
