import { SecretNotFoundError } from '../errors.js'
import type { ProviderResult, SecretProvider, SecretRequest, TenantCandidate } from '../provider.js'

export interface EnvProviderOptions {
  /** Prepended to every variable name, for references and tenant lookups alike (seed 003: `DATIVO_`). @default '' */
  prefix?: string
  /** Where to read variables. Read at every fetch, so changes are seen on refresh. @default process.env */
  env?: Record<string, string | undefined>
  /** Treat an empty variable as a value instead of as missing. @default false */
  allowEmpty?: boolean
}

export const ENV_PROVIDER_NAME = 'env'

/**
 * Environment variables. `env://DB_PASSWORD` reads `{prefix}DB_PASSWORD`. Tenant lookups try
 * `{PREFIX}{TENANT}_{NAME}` upper-cased, then the global `{PREFIX}{NAME}` (seed 003).
 *
 * @example
 * createSecrets({ providers: { env: envProvider({ prefix: 'APP_' }) }, secrets: { db: 'env://DB_PASSWORD' } })
 */
export function envProvider(options: EnvProviderOptions = {}): SecretProvider {
  const prefix = options.prefix ?? ''
  const allowEmpty = options.allowEmpty ?? false
  const getSync = ({ path }: SecretRequest): ProviderResult => {
    const variable = `${prefix}${path}`
    const value = (options.env ?? process.env)[variable]
    if (value === undefined || (value === '' && !allowEmpty)) {
      throw new SecretNotFoundError(
        `environment variable ${variable} is ${value === undefined ? 'not set' : 'empty'}`,
        { provider: ENV_PROVIDER_NAME, hint: `set ${variable} in the environment, or fix the name` },
      )
    }
    return { value }
  }
  return {
    name: ENV_PROVIDER_NAME,
    getSync,
    get(request) {
      try {
        return Promise.resolve(getSync(request))
      } catch (error) {
        return Promise.reject(error)
      }
    },
    tenantCandidates(tenant, name): TenantCandidate[] {
      return [{ path: `${tenant}_${name}`.toUpperCase() }, { path: name.toUpperCase() }]
    },
  }
}

export default envProvider
