/**
 * The provider contract. A provider is a plain object from a factory; only `get` is
 * required. Caching, retries, batching and fallback live in the store, not here.
 */

/** What one read of a secret asks for. */
export interface SecretRequest {
  /** Provider-specific path (secret id, parameter name, file path, env var name). */
  readonly path: string
  /** Pin a version (`?version=`). */
  readonly version?: string
  /** Pin a stage or label (`?stage=`, e.g. AWSPREVIOUS). */
  readonly stage?: string
}

export interface ProviderCallOptions {
  /** Aborted when the store's per-call timeout fires or the store closes. */
  readonly signal: AbortSignal
}

/** What a provider returns for one secret. */
export interface ProviderResult {
  /** The secret. Bytes for binary secrets; decoded as UTF-8 unless the declaration asks for `binary`. */
  readonly value: string | Uint8Array
  /** Upstream version id; used to detect rotation. When absent, a changed value counts as a new version. */
  readonly version?: string
  /**
   * Already-parsed keys for structured secrets (a `.env` file, a Vault KV map). `#field`
   * reads from here first, and only parses `value` as JSON when this is absent.
   */
  readonly fields?: Readonly<Record<string, string>>
  /** Epoch ms after which the value must not be served (leases, short-lived tokens). */
  readonly expiresAt?: number
}

/** A place one tenant's secret may live, tried in order by `tenant(t).get(name)`. */
export interface TenantCandidate extends SecretRequest {
  readonly field?: string
}

export interface SecretProvider {
  /** Provider type id (`env`, `file`, `aws`, …); used in errors and `check` output. */
  readonly name: string
  /** Most ids one `getMany` call accepts (AWS BatchGetSecretValue: 20, SSM GetParameters: 10). */
  readonly maxBatchSize?: number
  /** Reads one secret. Throws only secretkit's typed errors. */
  get(request: SecretRequest, options: ProviderCallOptions): Promise<ProviderResult>
  /**
   * Reads one secret without waiting, for sources that answer at once (environment variables,
   * small local files); used by {@link readSecretsSync} at process start-up, never by the store.
   * Returns `undefined` when this read cannot be done synchronously (the caller then uses
   * `get`). Throws the same typed errors as `get`.
   */
  getSync?(request: SecretRequest): ProviderResult | undefined
  /**
   * Reads several secrets in one upstream call. Returns one entry per request, in order:
   * a result, or the typed error for that id alone.
   */
  getMany?(
    requests: readonly SecretRequest[],
    options: ProviderCallOptions,
  ): Promise<ReadonlyArray<ProviderResult | Error>>
  /** Where a tenant's secret lives, most specific first (seed 003 naming). */
  tenantCandidates?(tenant: string, name: string): readonly TenantCandidate[]
  /** Releases clients, sockets and timers. */
  close?(): void | Promise<void>
}
