import type { CacheOptions, RetryOptions, SecretDeclaration, SecretProvider } from '@secretkit/core'

/** Provider types a config file can name. `env` and `file` ship in core; the others are core subpaths. */
export type ProviderType = 'env' | 'file' | 'aws' | 'ssm' | 'vault' | 'gcp' | 'azure'

/**
 * A provider named by type, as written in `secretkit.config.json` or `.yaml`. The other
 * keys are the options of that provider's factory (`fileProvider({ dir })`,
 * `awsSecretsManager({ region })`, …); a relative `dir` resolves against the config file's folder.
 */
export interface ProviderSpec {
  type: ProviderType
  [option: string]: unknown
}

/** What the preload hook does besides resolving once at start. */
export interface PreloadOptions {
  /**
   * Keep `process.env` in sync when a secret rotates. Copies in `process.env` reach child
   * processes, and code that already read a variable keeps the old value.
   * @default false
   */
  refresh?: boolean
}

/** The contents of a secretkit config file: the options of `createSecrets` plus `preload`. */
export interface SecretkitConfig {
  /** Providers by the name references use as their scheme. @default { env: envProvider(), file: fileProvider({ dir: './secrets' }) } */
  providers?: Record<string, SecretProvider | ProviderSpec>
  /** Declared secrets; the name is the environment variable the value is written to. */
  secrets?: Record<string, SecretDeclaration>
  cache?: CacheOptions
  retry?: RetryOptions
  preload?: PreloadOptions
}

/**
 * Types a `secretkit.config.mjs` default export. Returns its argument unchanged.
 *
 * @example
 * // secretkit.config.mjs
 * import { defineConfig } from '@secretkit/config'
 * import { fileProvider } from '@secretkit/core'
 * export default defineConfig({
 *   providers: { file: fileProvider({ dir: './secrets' }), aws: { type: 'aws', region: 'eu-west-1' } },
 *   secrets: { DB_PASSWORD: ['aws://prod/db#password', 'file://db.env#DB_PASSWORD'] },
 * })
 */
export function defineConfig<const C extends SecretkitConfig>(config: C): C {
  return config
}
