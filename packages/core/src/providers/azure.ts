import type { SecretClient, SecretClientOptions } from '@azure/keyvault-secrets'
import { SecretConfigError } from '../errors.js'
import type {
  ProviderCallOptions,
  ProviderResult,
  SecretProvider,
  SecretRequest,
  TenantCandidate,
} from '../provider.js'
import { azureError } from './azure-errors.js'
import { createLimiter, getEach, toConcurrency } from './bounded.js'
import { importPeer } from './optional-peer.js'

/** Any `@azure/core-auth` TokenCredential (`DefaultAzureCredential`, `ManagedIdentityCredential`, …). */
export type AzureTokenCredential = ConstructorParameters<typeof SecretClient>[1]

export interface AzureKeyVaultOptions {
  /** The vault, e.g. `https://my-vault.vault.azure.net`. Required unless `client` is given. */
  vaultUrl?: string
  /** Any TokenCredential. @default new DefaultAzureCredential(), created on first use */
  credential?: AzureTokenCredential
  /** Prepended to every secret name before normalisation, for references and tenant lookups (seed 003: `dativo-`). @default '' */
  prefix?: string
  /** Passed to `new SecretClient()`. `retryOptions.maxRetries` defaults to 0: the store retries. @default {} */
  clientOptions?: SecretClientOptions
  /** A client you own; `vaultUrl`, `credential` and `clientOptions` are then ignored. */
  client?: SecretClient
  /** Most GetSecret calls in flight at once, across every read of this provider. @default 10 */
  concurrency?: number
}

export const AZURE_PROVIDER_NAME = 'azure'

const NAME = /^[0-9A-Za-z-]{1,127}$/
const VERSION_ID = /^[0-9A-Za-z]{1,64}$/

/**
 * A Key Vault secret name for `name`: `_` becomes `-`; anything else outside letters,
 * digits and hyphens (or more than 127 characters) cannot be mapped.
 */
export function toKeyVaultName(name: string): string | undefined {
  const mapped = name.replaceAll('_', '-')
  return NAME.test(mapped) ? mapped : undefined
}

/**
 * Azure Key Vault secrets. `azure://db-password` reads the latest version of
 * `{prefix}db-password` (`_` → `-`); `?version=<id>` pins a version, `#field` picks a key of a
 * JSON value. Tenant lookups read `{prefix}{tenant}-{name}` normalised the same way (seed 003).
 *
 * The SDK's retries are off (`retryOptions.maxRetries: 0`): the store retries, honouring the
 * vault's `Retry-After` on 429.
 *
 * @example
 * createSecrets({
 *   providers: { azure: azureKeyVault({ vaultUrl: 'https://my-vault.vault.azure.net', prefix: 'dativo-' }) },
 *   secrets: { stripe: 'azure://acme-stripe_api_key' },
 * })
 */
export function azureKeyVault(options: AzureKeyVaultOptions = {}): SecretProvider {
  const prefix = options.prefix ?? ''
  const concurrency = toConcurrency(options.concurrency, AZURE_PROVIDER_NAME)
  const limit = createLimiter(concurrency)
  let client: Promise<SecretClient> | undefined
  let closed = false

  const createClient = async (): Promise<SecretClient> => {
    const vaultUrl = options.vaultUrl
    if (!vaultUrl)
      throw configError(
        'needs a vaultUrl',
        'pass azureKeyVault({ vaultUrl: "https://<name>.vault.azure.net" })',
      )
    const [sdk, credential] = await Promise.all([
      importPeer(() => import('@azure/keyvault-secrets'), ['@azure/keyvault-secrets'], AZURE_PROVIDER_NAME),
      options.credential ??
        importPeer(() => import('@azure/identity'), ['@azure/identity'], AZURE_PROVIDER_NAME).then(
          (identity) => new identity.DefaultAzureCredential(),
        ),
    ])
    const clientOptions = options.clientOptions ?? {}
    return new sdk.SecretClient(vaultUrl, credential, {
      ...clientOptions,
      retryOptions: { maxRetries: 0, ...clientOptions.retryOptions },
    })
  }
  const connect = (): Promise<SecretClient> =>
    (client ??= options.client ? Promise.resolve(options.client) : createClient())

  const secretName = (path: string): string => {
    const name = toKeyVaultName(`${prefix}${path}`)
    if (name === undefined) {
      throw configError(
        `secret name ${JSON.stringify(`${prefix}${path}`.slice(0, 140))} cannot be mapped to a Key Vault name`,
        'Key Vault names are 1–127 letters, digits and "-" ("_" is turned into "-"); rename the secret',
      )
    }
    return name
  }

  const get = async (request: SecretRequest, { signal }: ProviderCallOptions): Promise<ProviderResult> => {
    if (closed) throw configError('was closed', 'create a new provider after close()')
    if (request.stage !== undefined) {
      throw configError('has no stages', 'pin a version id with ?version=<id>')
    }
    if (request.version !== undefined && !VERSION_ID.test(request.version)) {
      throw configError(
        `version ${JSON.stringify(request.version.slice(0, 70))} is not a Key Vault version id`,
        'use the 32-character id from the secret identifier',
      )
    }
    const name = secretName(request.path)
    const label = request.version === undefined ? name : `${name}/${request.version}`
    const sdk = await connect()
    return limit(async () => {
      let secret: Awaited<ReturnType<SecretClient['getSecret']>>
      try {
        secret = await sdk.getSecret(name, {
          abortSignal: signal,
          ...(request.version === undefined ? {} : { version: request.version }),
        })
      } catch (error) {
        throw azureError(error, label)
      }
      const version = secret.properties.version
      return { value: secret.value ?? '', ...(version ? { version } : {}) }
    })
  }

  return {
    name: AZURE_PROVIDER_NAME,
    maxBatchSize: concurrency,
    get,
    getMany: (requests, callOptions) => getEach(requests, callOptions, get),
    tenantCandidates(tenant, name): TenantCandidate[] {
      // Names Key Vault cannot hold (a tenant with ".") are skipped, not fatal: other
      // providers in the tenancy chain may still have the secret.
      const mapped = toKeyVaultName(`${prefix}${tenant}-${name}`)
      return mapped === undefined ? [] : [{ path: `${tenant}-${name}`.replaceAll('_', '-') }]
    },
    async close() {
      // SecretClient has no close(); its idle keep-alive sockets do not hold the process open.
      closed = true
      client = undefined
    },
  }
}

function configError(problem: string, hint: string): SecretConfigError {
  return new SecretConfigError(`azure provider: ${problem}`, { provider: AZURE_PROVIDER_NAME, hint })
}

export default azureKeyVault
