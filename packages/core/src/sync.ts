/**
 * `@secretkit/core/sync`: a one-shot, synchronous read of declared secrets for process
 * start-up (the preload hook), without the store's cache, retry and event code. It only
 * answers when every secret is read without waiting; anything else is left to
 * `createSecrets().load()`, which reports errors the usual way.
 */
import { type NormalizedDeclaration, normalizeDeclaration, type SecretDeclaration } from './declaration.js'
import { extractValue } from './derive.js'
import { isSecretkitError } from './errors.js'
import type { ProviderResult, SecretProvider } from './provider.js'
import type { SecretRef } from './ref.js'

export { type EnvProviderOptions, envProvider } from './providers/env.js'
export { type FileProviderOptions, fileProvider, MAX_SYNC_FILE_BYTES } from './providers/file.js'
export { isSecretRef, parseRef, type SecretRef } from './ref.js'

export interface ReadSecretsSyncOptions {
  providers: Readonly<Record<string, SecretProvider>>
  secrets: Readonly<Record<string, SecretDeclaration>>
}

/** One secret read by {@link readSecretsSync}. */
export interface SyncSecret {
  readonly name: string
  /** The value, as `store.get(name)` would return it (the default, or `undefined`, for a missing optional secret). */
  readonly value: unknown
  /** The reference that supplied it; `undefined` for a missing optional secret. */
  readonly source: string | undefined
  /** Type id of the provider that supplied it. */
  readonly provider: string | undefined
  readonly version: string | undefined
  readonly optional: boolean
  readonly refs: readonly string[]
}

/**
 * Reads every declared secret with the providers' `getSync()`, following fallback chains and
 * `#field`s as the store does. Returns `undefined` — having thrown nothing and kept no value —
 * as soon as anything does not go the store's happy way: a provider without `getSync()` or
 * one that cannot answer at once, a schema (validation may be async), an error other than
 * "not found" that a later source answers, a required secret no source has, or a bad
 * declaration. The caller then loads with `createSecrets()`, which reports the errors.
 *
 * Blocks the thread for every read: use it only where waiting is what the caller wants
 * anyway, e.g. before an app starts.
 */
export function readSecretsSync(options: ReadSecretsSyncOptions): SyncSecret[] | undefined {
  try {
    const names = new Set(Object.keys(options.providers))
    const secrets: SyncSecret[] = []
    for (const [name, declaration] of Object.entries(options.secrets)) {
      const secret = readOne(normalizeDeclaration(name, declaration, names), options.providers)
      if (secret === undefined) return undefined
      secrets.push(secret)
    }
    return secrets
  } catch {
    // Left to the store, which reports it with context.
    return undefined
  }
}

function readOne(
  declaration: NormalizedDeclaration,
  providers: Readonly<Record<string, SecretProvider>>,
): SyncSecret | undefined {
  if (declaration.schema !== undefined) return undefined
  const refs = declaration.refs.map((ref) => ref.raw)
  for (const ref of declaration.refs) {
    const provider = providers[ref.provider]
    if (provider?.getSync === undefined) return undefined
    let result: ProviderResult | undefined
    let value: unknown
    try {
      result = provider.getSync(requestOf(ref))
      if (result === undefined) return undefined
      value = extractValue(result, ref.field, declaration.binary)
    } catch (error) {
      // The store falls through to the next source on "not found"; other errors it retries
      // or reports, so they are left to it.
      if (isSecretkitError(error) && error.code === 'SECRET_NOT_FOUND') continue
      return undefined
    }
    return {
      name: declaration.name,
      value,
      source: ref.raw,
      provider: provider.name,
      version: result.version,
      optional: declaration.optional,
      refs,
    }
  }
  if (!declaration.optional) return undefined
  return {
    name: declaration.name,
    value: declaration.hasDefault ? declaration.defaultValue : undefined,
    source: undefined,
    provider: undefined,
    version: undefined,
    optional: true,
    refs,
  }
}

function requestOf(ref: SecretRef) {
  return {
    path: ref.path,
    ...(ref.version === undefined ? {} : { version: ref.version }),
    ...(ref.stage === undefined ? {} : { stage: ref.stage }),
  }
}
