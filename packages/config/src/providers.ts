import { isAbsolute, resolve } from 'node:path'
import type { EnvProviderOptions, FileProviderOptions, SecretProvider } from '@secretkit/core'
import type { ProviderSpec, ProviderType } from './define-config.js'

/** The peer each cloud provider type needs besides its core subpath. */
const CLOUD_SDKS: Record<Exclude<ProviderType, 'env' | 'file'>, string> = {
  aws: '@aws-sdk/client-secrets-manager',
  ssm: '@aws-sdk/client-ssm',
  vault: 'node-vault',
  gcp: '@google-cloud/secret-manager',
  azure: '@azure/keyvault-secrets and @azure/identity',
}

/** The providers used when no config file (or no `providers` key) says otherwise: env, and files under `{dir}/secrets`. */
export function defaultProviderSpecs(dir: string): Record<string, ProviderSpec> {
  return { env: { type: 'env' }, file: { type: 'file', dir: resolve(dir, 'secrets') } }
}

export function isProvider(value: unknown): value is SecretProvider {
  return value !== null && typeof value === 'object' && typeof (value as SecretProvider).get === 'function'
}

/** The factories of the providers core ships, from `@secretkit/core` or `@secretkit/core/sync`. */
export interface CoreProviderFactories {
  envProvider: (options: EnvProviderOptions) => SecretProvider
  fileProvider: (options: FileProviderOptions) => SecretProvider
}

/**
 * Creates the providers in `names` from their specs. Cloud provider modules are imported
 * here and only here, so a config that names `aws` but references no `aws://` secret loads
 * no AWS code. A relative `dir` resolves against `baseDir` (the config file's folder); `env`
 * providers read `env`.
 */
export async function createProviders(
  specs: Readonly<Record<string, SecretProvider | ProviderSpec>>,
  names: Iterable<string>,
  baseDir: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Record<string, SecretProvider>> {
  const providers: Record<string, SecretProvider> = {}
  let core: CoreProviderFactories | undefined
  for (const name of names) {
    const spec = specs[name]
    if (spec === undefined) continue
    if (isProvider(spec)) providers[name] = spec
    else if (spec.type === 'env' || spec.type === 'file') {
      core ??= await import('@secretkit/core')
      providers[name] = createCoreProvider(core, spec, baseDir, env)
    } else providers[name] = (await importCloudFactory(name, spec.type))(withoutType(spec))
  }
  return providers
}

/** An `env` or `file` provider from its spec, with `dir` resolved against `baseDir`. */
export function createCoreProvider(
  core: CoreProviderFactories,
  spec: ProviderSpec,
  baseDir: string,
  env: Readonly<Record<string, string | undefined>>,
): SecretProvider {
  const options = withoutType(spec)
  if (spec.type === 'env')
    return core.envProvider({ ...options, env: env as Record<string, string | undefined> })
  const dir = options.dir
  return core.fileProvider({
    ...options,
    ...(typeof dir === 'string' && !isAbsolute(dir) ? { dir: resolve(baseDir, dir) } : {}),
  })
}

function withoutType(spec: ProviderSpec): Record<string, unknown> {
  const { type: _type, ...options } = spec
  return options
}

async function importCloudFactory(
  name: string,
  type: Exclude<ProviderType, 'env' | 'file'>,
): Promise<(options: Record<string, unknown>) => SecretProvider> {
  const subpath = `@secretkit/core/${type}`
  let module: { default?: unknown }
  try {
    module = await import(subpath)
  } catch (error) {
    if (!isMissingModule(error)) throw error
    const { SecretConfigError } = await import('@secretkit/core')
    throw new SecretConfigError(
      `provider type ${type} needs ${subpath} and ${CLOUD_SDKS[type]} installed (provider "${name}")`,
      { provider: name, hint: `upgrade @secretkit/core if it lacks ${subpath}; install ${CLOUD_SDKS[type]}` },
    )
  }
  if (typeof module.default !== 'function') {
    const { SecretConfigError } = await import('@secretkit/core')
    throw new SecretConfigError(`${subpath} has no default export to create provider "${name}" with`, {
      provider: name,
    })
  }
  return module.default as (options: Record<string, unknown>) => SecretProvider
}

/** Node sets a code; other module runners (vitest) only say so in the message. */
function isMissingModule(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return true
  return error instanceof Error && /is not exported|Cannot find (module|package)/.test(error.message)
}
