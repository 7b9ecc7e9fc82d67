import { isAbsolute, resolve } from 'node:path'
import type { SecretProvider } from '@secretkit/core'
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
  for (const name of names) {
    const spec = specs[name]
    if (spec === undefined) continue
    providers[name] = isProvider(spec) ? spec : await createProvider(name, spec, baseDir, env)
  }
  return providers
}

async function createProvider(
  name: string,
  spec: ProviderSpec,
  baseDir: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<SecretProvider> {
  const { type, ...options } = spec
  if (type === 'env' || type === 'file') {
    const core = await import('@secretkit/core')
    if (type === 'env')
      return core.envProvider({ ...options, env: env as Record<string, string | undefined> })
    const dir = options.dir
    return core.fileProvider({
      ...options,
      ...(typeof dir === 'string' && !isAbsolute(dir) ? { dir: resolve(baseDir, dir) } : {}),
    })
  }
  const factory = await importCloudFactory(name, type)
  return factory(options)
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
