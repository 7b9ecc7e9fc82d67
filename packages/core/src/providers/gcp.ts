import type { protos, SecretManagerServiceClient } from '@google-cloud/secret-manager'
import { SecretConfigError } from '../errors.js'
import type {
  ProviderCallOptions,
  ProviderResult,
  SecretProvider,
  SecretRequest,
  TenantCandidate,
} from '../provider.js'
import { createLimiter, getEach, toConcurrency } from './bounded.js'
import { crc32c } from './crc32c.js'
import { checksumMismatch, checksumOf, gcpError } from './gcp-errors.js'
import { importPeer } from './optional-peer.js'

/** Options of the Secret Manager client (`new SecretManagerServiceClient(options)`). */
export type GcpClientOptions = NonNullable<ConstructorParameters<typeof SecretManagerServiceClient>[0]>

export interface GcpSecretManagerOptions {
  /** Project the secret ids belong to. @default process.env.GCP_PROJECT_ID ?? process.env.GOOGLE_CLOUD_PROJECT */
  projectId?: string
  /** Prepended to every secret id, for references and tenant lookups alike (seed 003: `dativo-`). @default '' */
  prefix?: string
  /** A client you own (and close). When absent, one is created from `clientOptions` on first use. */
  client?: SecretManagerServiceClient
  /** Passed to `new SecretManagerServiceClient()`: credentials, `apiEndpoint`, `universeDomain`, … @default {} */
  clientOptions?: GcpClientOptions
  /** Most AccessSecretVersion calls in flight at once, across every read of this provider. @default 10 */
  concurrency?: number
}

export const GCP_PROVIDER_NAME = 'gcp'

const SECRET_ID = /^[A-Za-z0-9_-]{1,255}$/
const VERSION_ID = /^[A-Za-z0-9_-]{1,63}$/
const RESOURCE = /^projects\/([^/]+)\/secrets\/([^/]+)$/

/**
 * Google Cloud Secret Manager. `gcp://db-password` reads
 * `projects/{projectId}/secrets/{prefix}db-password/versions/latest`; `?version=3` pins a
 * version (or alias), `#field` picks a key of a JSON payload. Payload CRC-32C checksums are
 * verified. Tenant lookups try `{prefix}{tenant}-{name}`, the same with `_` → `-`, then the
 * single JSON secret `{prefix}{tenant}` with key `name` (seed 003).
 *
 * The client's own retries are off (`retry: null` per call): the store's retry policy decides.
 *
 * @example
 * createSecrets({
 *   providers: { gcp: gcpSecretManager({ projectId: 'my-project', prefix: 'dativo-' }) },
 *   secrets: { stripe: 'gcp://acme#stripe_api_key' },
 * })
 */
export function gcpSecretManager(options: GcpSecretManagerOptions = {}): SecretProvider {
  const projectId = options.projectId ?? process.env.GCP_PROJECT_ID ?? process.env.GOOGLE_CLOUD_PROJECT
  const prefix = options.prefix ?? ''
  const concurrency = toConcurrency(options.concurrency, GCP_PROVIDER_NAME)
  const limit = createLimiter(concurrency)
  const owned = options.client === undefined
  let client: Promise<SecretManagerServiceClient> | undefined
  let closed = false

  const connect = (): Promise<SecretManagerServiceClient> =>
    (client ??= options.client
      ? Promise.resolve(options.client)
      : importPeer(
          () => import('@google-cloud/secret-manager'),
          ['@google-cloud/secret-manager'],
          GCP_PROVIDER_NAME,
        ).then((sdk) => new sdk.SecretManagerServiceClient(options.clientOptions ?? {})))

  const versionName = (request: SecretRequest): string => {
    if (request.stage !== undefined) {
      throw configError('has no stages', 'pin a version number or alias with ?version=<v>')
    }
    const version = request.version ?? 'latest'
    if (!VERSION_ID.test(version)) {
      throw configError(
        `version ${JSON.stringify(version)} is not a version number or alias`,
        'use ?version=3',
      )
    }
    return `${secretName(request.path)}/versions/${version}`
  }

  const secretName = (path: string): string => {
    const full = RESOURCE.exec(path)
    if (full && SECRET_ID.test(full[2]!)) return path
    const secretId = `${prefix}${path}`
    if (!SECRET_ID.test(secretId)) {
      throw configError(
        `secret id ${JSON.stringify(secretId.slice(0, 64))} is not valid`,
        'secret ids are 1–255 letters, digits, "_" or "-" (or a full projects/<p>/secrets/<id> name)',
      )
    }
    if (!projectId) {
      throw configError(
        'needs a project id',
        'pass gcpSecretManager({ projectId }) or set GCP_PROJECT_ID / GOOGLE_CLOUD_PROJECT',
      )
    }
    return `projects/${projectId}/secrets/${secretId}`
  }

  const get = async (request: SecretRequest, { signal }: ProviderCallOptions): Promise<ProviderResult> => {
    if (closed) throw configError('was closed', 'create a new provider after close()')
    const name = versionName(request)
    const sdk = await connect()
    return limit(async () => {
      let response: protos.google.cloud.secretmanager.v1.IAccessSecretVersionResponse
      try {
        ;[response] = await sdk.accessSecretVersion({ name }, { retry: null, signal })
      } catch (error) {
        throw gcpError(error, name)
      }
      const data = response.payload?.data
      const bytes = typeof data === 'string' ? Buffer.from(data, 'base64') : (data ?? new Uint8Array(0))
      const expected = checksumOf(response.payload?.dataCrc32c)
      if (expected !== undefined && expected !== crc32c(bytes)) throw checksumMismatch(name)
      const version = response.name?.split('/').at(-1)
      return { value: bytes, ...(version ? { version } : {}) }
    })
  }

  return {
    name: GCP_PROVIDER_NAME,
    maxBatchSize: concurrency,
    get,
    getMany: (requests, callOptions) => getEach(requests, callOptions, get),
    tenantCandidates(tenant, name): TenantCandidate[] {
      // Most specific first: a dedicated secret overrides the key of the tenant's JSON secret.
      // The not-found answers of the earlier candidates are negatively cached by the store.
      const paths = new Set([`${tenant}-${name}`, `${tenant}-${name.replaceAll('_', '-')}`])
      const candidates: TenantCandidate[] = [...paths].map((path) => ({ path }))
      candidates.push({ path: tenant, field: name })
      // Ids Secret Manager cannot hold (a tenant with ".") are skipped, not fatal: other
      // providers in the tenancy chain may still have the secret.
      return candidates.filter((candidate) => SECRET_ID.test(`${prefix}${candidate.path}`))
    },
    async close() {
      if (closed) return
      closed = true
      if (owned && client !== undefined) await (await client.catch(() => undefined))?.close()
    },
  }
}

function configError(problem: string, hint: string): SecretConfigError {
  return new SecretConfigError(`gcp provider: ${problem}`, { provider: GCP_PROVIDER_NAME, hint })
}

export default gcpSecretManager
