import type NodeVault from 'node-vault'
import { SecretConfigError } from '../errors.js'
import type { ProviderResult, SecretProvider, SecretRequest, TenantCandidate } from '../provider.js'
import { importPeer } from './optional-peer.js'
import { type VaultAuthOptions, VaultSession } from './vault-auth.js'
import { toVaultError, VAULT_PROVIDER_NAME } from './vault-errors.js'
import {
  abortable,
  configError,
  detect,
  encodePath,
  kvPath,
  kvResult,
  type Lease,
  leaseExpiry,
  renewLease,
  trimSlashes,
  type VaultResponse,
} from './vault-read.js'

export type { VaultAuthOptions } from './vault-auth.js'

export interface VaultProviderOptions {
  /** Vault / OpenBao address. @default process.env.VAULT_ADDR */
  url?: string
  /** Token for `auth: { method: 'token' }`. @default process.env.VAULT_TOKEN */
  token?: string
  /** Mount of the KV engine that plain references read from. @default 'secret' */
  mountPoint?: string
  /** KV engine version of `mountPoint`. @default detected from `sys/internal/ui/mounts/<mount>` (or `sys/mounts`) */
  kvVersion?: 1 | 2
  /** Enterprise / OpenBao namespace, sent as `X-Vault-Namespace`. @default process.env.VAULT_NAMESPACE */
  namespace?: string
  /** Verify the server's TLS certificate. Turn off only for local testing. @default true */
  verify?: boolean
  /** CA certificate(s) (PEM) that signed the Vault server certificate. */
  ca?: string | Buffer | ReadonlyArray<string | Buffer>
  /** How to get a token. @default { method: 'token' } */
  auth?: VaultAuthOptions
  /** Prepended to every KV path (`prefix: 'prod/'` makes `vault://db` read `{mount}/data/prod/db`). */
  prefix?: string
}

interface Connection {
  client: NodeVault.client
  session: VaultSession
}

/**
 * HashiCorp Vault / OpenBao through node-vault (an optional peer dependency).
 *
 * - `vault://app/db#password` reads KV `{mount}/data/app/db` (KV v2; `{mount}/app/db` on v1),
 *   `?version=3` pins a KV v2 version. The KV map is the secret's `fields`; its value is the
 *   map as JSON, or the string itself when the only key is `value`.
 * - `vault:///database/creds/app` — a path starting with `/` is an absolute Vault API path,
 *   read as is (dynamic secrets). Leases set `expiresAt`; the store's refresh renews the lease
 *   (`sys/leases/renew`) and reads new credentials only once it cannot be renewed.
 * - Tenants: `tenant(t).get(name)` reads key `name` of `{mount}/data/{t}` (seed 003).
 *
 * @example
 * createSecrets({
 *   providers: { vault: vaultProvider({ auth: { method: 'approle', roleId, secretId } }) },
 *   secrets: { dbPassword: 'vault://app/db#password' },
 * })
 */
export function vaultProvider(options: VaultProviderOptions = {}): SecretProvider {
  const mount = trimSlashes(options.mountPoint ?? 'secret')
  const prefix = options.prefix === undefined ? '' : trimSlashes(options.prefix)
  const namespace = options.namespace ?? process.env.VAULT_NAMESPACE
  const leases = new Map<string, Lease>()
  let connection: Promise<Connection> | undefined
  let kvVersion: Promise<1 | 2> | undefined =
    options.kvVersion === undefined ? undefined : Promise.resolve(options.kvVersion)
  let closed = false

  const connect = (): Promise<Connection> => {
    connection ??= createConnection(options, namespace).catch((error: unknown) => {
      connection = undefined
      throw error
    })
    return connection
  }

  const read = async (client: NodeVault.client, apiPath: string, what: string): Promise<VaultResponse> => {
    try {
      return ((await client.read(apiPath)) ?? {}) as VaultResponse
    } catch (error) {
      throw toVaultError(error, what, namespace)
    }
  }

  const detectKvVersion = (client: NodeVault.client): Promise<1 | 2> => {
    kvVersion ??= detect(client, mount, namespace).catch((error: unknown) => {
      kvVersion = undefined
      throw error
    })
    return kvVersion
  }

  const readKv = async (client: NodeVault.client, request: SecretRequest): Promise<ProviderResult> => {
    const path = kvPath(prefix, request.path)
    const version = await detectKvVersion(client)
    if (version === 1) {
      if (request.version !== undefined) throw configError('KV v1 keeps no versions', 'drop ?version=')
      const response = await read(client, `${mount}/${path}`, `${mount}/${path}`)
      return kvResult(response.data ?? {}, undefined)
    }
    if (request.version !== undefined && !/^[1-9][0-9]*$/.test(request.version)) {
      throw configError(
        `KV v2 versions are positive integers, not ${JSON.stringify(request.version)}`,
        '?version=3',
      )
    }
    const query = request.version === undefined ? '' : `?version=${request.version}`
    const what = `${mount}/data/${path}${query}`
    const response = await read(client, what, what)
    const data = response.data as { data?: Record<string, unknown> | null; metadata?: { version?: number } }
    if (data?.data == null) throw toVaultError({ response: { statusCode: 404 } }, what, namespace)
    return kvResult(
      data.data,
      data.metadata?.version === undefined ? undefined : String(data.metadata.version),
    )
  }

  const readRaw = async (client: NodeVault.client, request: SecretRequest): Promise<ProviderResult> => {
    const path = encodePath(request.path.slice(1))
    if (request.version !== undefined) throw configError('absolute Vault paths take no ?version=', 'drop it')
    const lease = leases.get(path)
    if (lease !== undefined) {
      const renewed = await renewLease(client, lease)
      if (renewed !== undefined) return renewed
      leases.delete(path)
    }
    const response = await read(client, path, path)
    const leaseId = response.lease_id || undefined
    const seconds = response.lease_duration ?? 0
    const result: ProviderResult = {
      ...kvResult(response.data ?? {}, leaseId),
      ...(leaseId && seconds > 0 ? { expiresAt: leaseExpiry(seconds) } : {}),
    }
    if (leaseId && response.renewable && seconds > 0) leases.set(path, { id: leaseId, seconds, result })
    return result
  }

  return {
    name: VAULT_PROVIDER_NAME,
    async get(request, { signal }) {
      if (closed)
        throw new SecretConfigError('the Vault provider is closed', { provider: VAULT_PROVIDER_NAME })
      if (request.stage !== undefined) throw configError('Vault has no stages', 'use ?version=<n> on KV v2')
      const work = (async () => {
        const { client, session } = await connect()
        await session.ready()
        return request.path.startsWith('/') ? readRaw(client, request) : readKv(client, request)
      })()
      return abortable(work, signal)
    },
    tenantCandidates(tenant, name): TenantCandidate[] {
      return [{ path: tenant, field: name }]
    },
    async close() {
      closed = true
      leases.clear()
      const current = connection
      connection = undefined
      if (current !== undefined) (await current.catch(() => undefined))?.session.close()
    },
  }
}

async function createConnection(
  options: VaultProviderOptions,
  namespace: string | undefined,
): Promise<Connection> {
  const url = options.url ?? process.env.VAULT_ADDR
  if (!url) {
    throw new SecretConfigError('no Vault address configured', {
      provider: VAULT_PROVIDER_NAME,
      hint: 'pass vaultProvider({ url }) or set VAULT_ADDR',
    })
  }
  const createClient: typeof NodeVault = (
    await importPeer(() => import('node-vault'), ['node-vault'], VAULT_PROVIDER_NAME)
  ).default
  const token = options.token ?? process.env.VAULT_TOKEN
  const client = createClient({
    endpoint: url,
    ...(token ? { token } : {}),
    ...(namespace ? { namespace } : {}),
    // node-vault's debug output prints request bodies (login secret ids, JWTs): keep it silent.
    debug: () => undefined,
    requestOptions: {
      strictSSL: options.verify ?? true,
      ...(options.ca === undefined ? {} : { ca: options.ca as string | Buffer | Array<string | Buffer> }),
    },
  })
  return { client, session: new VaultSession(client, options.auth ?? { method: 'token' }, namespace) }
}

export default vaultProvider
