import { resolve } from 'node:path'
import type { SecretDeclaration, SecretStatus, SecretStore, SecretsLoadError } from '@secretkit/core'
import type { SecretkitConfig } from './define-config.js'
import { findConfigFile } from './discover.js'
import { type LoadedConfig, loadConfig } from './load.js'
import { createProviders, defaultProviderSpecs } from './providers.js'
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
  for (const [name, value] of Object.entries(env)) {
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

  const core = await import('@secretkit/core')
  for (const [name, value] of candidates) {
    if (!core.isSecretRef(value, names)) continue
    const declared = declarations[name]
    // A reference in the environment overrides where a declared secret comes from, not how it is read.
    declarations[name] =
      declared !== undefined && typeof declared === 'object' && !Array.isArray(declared)
        ? { ...declared, from: value }
        : value
    origins.set(name, 'env')
  }
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
  return { ...empty, values, unset, secrets, error, store }
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
