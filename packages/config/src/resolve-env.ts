import { resolve } from 'node:path'
import type {
  SecretDeclaration,
  SecretProvider,
  SecretStatus,
  SecretStore,
  SecretsLoadError,
} from '@secretkit/core'
import type { ProviderSpec, SecretkitConfig } from './define-config.js'
import { findConfigFile } from './discover.js'
import { type LoadedConfig, loadConfig } from './load.js'
import { createCoreProvider, createProviders, defaultProviderSpecs, isProvider } from './providers.js'
import { PROVIDER_TYPES } from './validate.js'

/**
 * Set in the environment after resolution. A child process that inherits it (say, through
 * `NODE_OPTIONS=--import @secretkit/preload`) does not fetch declared secrets its parent
 * already put in the environment again.
 */
export const RESOLVED_MARKER = 'SECRETKIT_RESOLVED'

export interface ResolveEnvOptions {
  /** The environment to read references from. @default process.env */
  env?: Readonly<Record<string, string | undefined>>
  /** Where config discovery starts. @default process.cwd() */
  cwd?: string
  /** Config file to use instead of `SECRETKIT_CONFIG` and discovery (the CLI's `--config`). */
  configFile?: string
  /**
   * Read `env` and `file` references synchronously, without a store, when every reference
   * allows it (the preload hook: the app waits for the result anyway). Files are read with
   * blocking calls (up to 64 KiB each; larger ones, and everything else, go through the
   * store), so a hung network file system blocks the thread. The result then has no `store`,
   * and `preload.refresh` turns it off. @default false
   */
  sync?: boolean
}

/** One resolved (or failed) secret, for `secretkit check`. Never holds a value. */
export interface EnvSecretStatus extends SecretStatus {
  /** `env`: the variable held a reference; `config`: declared in the config file. */
  origin: 'env' | 'config'
  /** What went wrong, when it failed (names and references only). */
  message: string | undefined
}

/** A variable that looks like a reference to a provider type nobody configured. */
export interface UnconfiguredRef {
  name: string
  provider: string
}

export interface EnvResolution {
  /** The config file used, if any. */
  configFile: string | undefined
  config: SecretkitConfig | undefined
  /** Variables to set: every resolved secret by name, plus {@link RESOLVED_MARKER}. Empty when nothing was resolved. */
  values: Record<string, string>
  /** Variables to remove: optional secrets that held a reference but are missing upstream. */
  unset: string[]
  secrets: EnvSecretStatus[]
  unconfigured: UnconfiguredRef[]
  /** The aggregate error when a required secret failed; `values` then holds only the rest. */
  error: SecretsLoadError | undefined
  /** The open store (for `preload.refresh`); close it when done. `undefined` when nothing needed one. */
  store: SecretStore | undefined
}

/**
 * Finds the config, resolves every variable of `env` whose value is a reference to a
 * registered provider and every declared secret, and returns what to write. Core, YAML and
 * cloud provider code are imported only when needed.
 */
export async function resolveEnv(options: ResolveEnvOptions = {}): Promise<EnvResolution> {
  const env = options.env ?? process.env
  const cwd = options.cwd ?? process.cwd()
  const explicit = options.configFile ?? (env.SECRETKIT_CONFIG || undefined)
  const file = explicit === undefined ? findConfigFile(cwd) : resolve(cwd, explicit)
  const loaded: LoadedConfig | undefined = file === undefined ? undefined : await loadConfig(file)
  const config = loaded?.config
  const baseDir = loaded?.dir ?? cwd
  const specs = config?.providers ?? defaultProviderSpecs(baseDir)
  const names = new Set(Object.keys(specs))
  const parentResolved = env[RESOLVED_MARKER] === '1'

  const declarations: Record<string, SecretDeclaration> = {}
  const origins = new Map<string, EnvSecretStatus['origin']>()
  for (const [name, declaration] of Object.entries(config?.secrets ?? {})) {
    if (parentResolved && env[name] !== undefined) continue
    declarations[name] = declaration
    origins.set(name, 'config')
  }
  const candidates: [string, string][] = []
  const unconfigured: UnconfiguredRef[] = []
  // Keys, then one read each: Object.entries(process.env) builds a pair per variable first.
  for (const name of Object.keys(env)) {
    const value = env[name]
    const scheme = schemeOf(value)
    if (scheme === undefined) continue
    if (names.has(scheme)) candidates.push([name, value!])
    else if ((PROVIDER_TYPES as readonly string[]).includes(scheme))
      unconfigured.push({ name, provider: scheme })
  }
  const empty = {
    configFile: file,
    config,
    values: {},
    unset: [],
    unconfigured,
    error: undefined,
    store: undefined,
  }
  if (candidates.length === 0 && origins.size === 0) return { ...empty, secrets: [] }

  if (options.sync === true && config?.preload?.refresh !== true) {
    const resolved = await resolveSync(specs, candidates, declarations, origins, baseDir, env)
    if (resolved !== undefined) return { ...empty, ...resolved }
  }
  return {
    ...empty,
    ...(await resolveWithStore(config, specs, candidates, declarations, origins, baseDir, env)),
  }
}

/** The store path: every provider, cache, retries, and the aggregate error when a required secret fails. */
async function resolveWithStore(
  config: SecretkitConfig | undefined,
  specs: Readonly<Record<string, SecretProvider | ProviderSpec>>,
  candidates: readonly [string, string][],
  declarations: Record<string, SecretDeclaration>,
  origins: Map<string, EnvSecretStatus['origin']>,
  baseDir: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Pick<EnvResolution, 'values' | 'unset' | 'secrets' | 'error' | 'store'>> {
  const core = await import('@secretkit/core')
  addEnvReferences(core.isSecretRef, candidates, new Set(Object.keys(specs)), declarations, origins)
  const referenced = new Set<string>()
  for (const declaration of Object.values(declarations)) {
    for (const ref of refsOf(declaration)) referenced.add(core.parseRef(ref).provider)
  }
  const providers = await createProviders(specs, referenced, baseDir, env)
  const store: SecretStore = core.createSecrets({
    providers,
    secrets: declarations,
    ...(config?.cache === undefined ? {} : { cache: config.cache }),
    ...(config?.retry === undefined ? {} : { retry: config.retry }),
  }) as unknown as SecretStore
  let error: SecretsLoadError | undefined
  try {
    await store.load()
  } catch (caught) {
    if (!(caught instanceof core.SecretsLoadError)) {
      await store.close()
      throw caught
    }
    error = caught
  }
  const messages = new Map(error?.failures.map((failure) => [failure.name, failure.message]))
  const values: Record<string, string> = {}
  const unset: string[] = []
  const secrets = store.status().map((status): EnvSecretStatus => {
    if (status.state !== 'failed' && status.state !== 'not-loaded') {
      const value = store.get(status.name)
      if (value !== undefined) values[status.name] = toEnvValue(value)
      else if (origins.get(status.name) === 'env') unset.push(status.name)
    }
    return { ...status, origin: origins.get(status.name) ?? 'config', message: messages.get(status.name) }
  })
  values[RESOLVED_MARKER] = '1'
  return { values, unset, secrets, error, store }
}

/**
 * The variables of `env` that hold references (`candidates`, checked by core's parser) become
 * declarations: a reference in the environment overrides where a declared secret comes
 * from, not how it is read.
 */
function addEnvReferences(
  isSecretRef: (text: string, providerNames: Iterable<string>) => boolean,
  candidates: readonly [string, string][],
  names: ReadonlySet<string>,
  declarations: Record<string, SecretDeclaration>,
  origins: Map<string, EnvSecretStatus['origin']>,
): void {
  for (const [name, value] of candidates) {
    if (!isSecretRef(value, names)) continue
    const declared = declarations[name]
    declarations[name] =
      declared !== undefined && typeof declared === 'object' && !Array.isArray(declared)
        ? { ...declared, from: value }
        : value
    origins.set(name, 'env')
  }
}

/**
 * The `sync` path: `@secretkit/core/sync` reads everything at once when only `env` and
 * `file` providers from data specs are referenced and every read succeeds. `undefined`
 * otherwise, having changed nothing; the store then does it all again and reports errors.
 */
async function resolveSync(
  specs: Readonly<Record<string, SecretProvider | ProviderSpec>>,
  candidates: readonly [string, string][],
  configDeclarations: Readonly<Record<string, SecretDeclaration>>,
  configOrigins: ReadonlyMap<string, EnvSecretStatus['origin']>,
  baseDir: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Pick<EnvResolution, 'values' | 'unset' | 'secrets'> | undefined> {
  const sync = await import('@secretkit/core/sync')
  const declarations = { ...configDeclarations }
  const origins = new Map(configOrigins)
  addEnvReferences(sync.isSecretRef, candidates, new Set(Object.keys(specs)), declarations, origins)
  const providers: Record<string, SecretProvider> = {}
  for (const declaration of Object.values(declarations)) {
    for (const ref of refsOf(declaration)) {
      let name: string
      try {
        name = sync.parseRef(ref).provider
      } catch {
        return undefined
      }
      if (name in providers) continue
      const spec = specs[name]
      if (spec === undefined || isProvider(spec) || (spec.type !== 'env' && spec.type !== 'file'))
        return undefined
      providers[name] = createCoreProvider(sync, spec, baseDir, env)
    }
  }
  const read = sync.readSecretsSync({ providers, secrets: declarations })
  if (read === undefined) return undefined
  const values: Record<string, string> = {}
  const unset: string[] = []
  const secrets = read.map((secret): EnvSecretStatus => {
    const origin = origins.get(secret.name) ?? 'config'
    if (secret.value !== undefined) values[secret.name] = toEnvValue(secret.value)
    else if (origin === 'env') unset.push(secret.name)
    const found = secret.source !== undefined
    return {
      name: secret.name,
      state: found ? 'fresh' : 'missing',
      source: secret.source,
      provider: secret.provider,
      version: secret.version,
      ageMs: found ? 0 : undefined,
      optional: secret.optional,
      refs: secret.refs,
      errorCode: undefined,
      origin,
      message: undefined,
    }
  })
  values[RESOLVED_MARKER] = '1'
  return { values, unset, secrets }
}

/**
 * How a secret's value is written to an environment variable: strings as they are, bytes
 * as base64, numbers and booleans as text, other values as JSON.
 */
export function toEnvValue(value: unknown): string {
  if (typeof value === 'string') return value
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (value !== null && typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/**
 * The scheme of a value that may be a reference (`aws` for `aws://prod/db`): a cheap test
 * run over every variable before core is loaded; core's `isSecretRef` has the last word.
 * URLs with an empty authority (`file:///etc/x`) name absolute paths, never a reference.
 */
function schemeOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const end = value.indexOf('://')
  if (end <= 0 || value.startsWith('/', end + 3)) return undefined
  return value.slice(0, end)
}

function refsOf(declaration: SecretDeclaration): readonly string[] {
  if (typeof declaration === 'string') return [declaration]
  if (Array.isArray(declaration)) return declaration as readonly string[]
  const from = (declaration as { from?: string | readonly string[] }).from
  return from === undefined ? [] : typeof from === 'string' ? [from] : from
}
