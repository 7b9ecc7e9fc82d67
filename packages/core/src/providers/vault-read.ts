import type NodeVault from 'node-vault'
import { ProviderUnavailableError, SecretConfigError, SecretkitError } from '../errors.js'
import type { ProviderResult } from '../provider.js'
import { toVaultError, VAULT_PROVIDER_NAME, vaultStatus } from './vault-errors.js'

/** Reading helpers of the Vault provider: KV version detection, KV maps, paths, leases. */

/** A dynamic-secret lease this provider handed out, renewed instead of re-read while it can be. */
export interface Lease {
  id: string
  seconds: number
  result: ProviderResult
}

export interface VaultResponse {
  lease_id?: string
  lease_duration?: number
  renewable?: boolean
  data?: Record<string, unknown>
}

/** KV version of a mount: the UI endpoint any token with access to the mount may read, else `sys/mounts`. */
export async function detect(
  client: NodeVault.client,
  mount: string,
  namespace: string | undefined,
): Promise<1 | 2> {
  let info: { type?: string; options?: { version?: string } | null } | undefined
  try {
    info = ((await client.read(`sys/internal/ui/mounts/${mount}`)) as { data?: typeof info }).data
  } catch (error) {
    const status = vaultStatus(error)
    if (status !== 403 && status !== 404 && status !== 400)
      throw toVaultError(error, `sys/internal/ui/mounts/${mount}`, namespace)
    try {
      const mounts = (await client.mounts()) as { data?: Record<string, typeof info> } & Record<
        string,
        unknown
      >
      info = (mounts.data?.[`${mount}/`] ?? mounts[`${mount}/`]) as typeof info
    } catch {
      info = undefined
    }
  }
  if (info === undefined) {
    throw new SecretConfigError(`could not tell the KV version of mount "${mount}"`, {
      provider: VAULT_PROVIDER_NAME,
      hint: 'check mountPoint (and namespace), or set kvVersion: 1 | 2 so no detection is needed',
    })
  }
  return info.options?.version === '2' ? 2 : 1
}

/** Renews a lease; `undefined` when it cannot be renewed for most of its term (read new credentials). */
export async function renewLease(
  client: NodeVault.client,
  lease: Lease,
): Promise<ProviderResult | undefined> {
  try {
    const renewed = (await client.renew({ lease_id: lease.id, increment: lease.seconds })) as VaultResponse
    const seconds = renewed.lease_duration ?? 0
    if (seconds * 2 < lease.seconds) return undefined
    return { ...lease.result, expiresAt: leaseExpiry(seconds) }
  } catch {
    // Expired, revoked or unreachable: a fresh read decides (and reports a typed error).
    return undefined
  }
}

/** When to stop serving a leased value: 10 % (at most 30 s) before Vault revokes it. */
export function leaseExpiry(seconds: number): number {
  return Date.now() + seconds * 1000 - Math.min(seconds * 100, 30_000)
}

export function kvResult(map: Record<string, unknown>, version: string | undefined): ProviderResult {
  const fields: Record<string, string> = {}
  for (const [key, item] of Object.entries(map))
    fields[key] = typeof item === 'string' ? item : JSON.stringify(item)
  const keys = Object.keys(map)
  const value =
    keys.length === 1 && keys[0] === 'value' && typeof map.value === 'string'
      ? map.value
      : JSON.stringify(map)
  return { value, fields, ...(version === undefined ? {} : { version }) }
}

export function kvPath(prefix: string, path: string): string {
  const full = prefix === '' ? path : `${prefix}/${path}`
  const segments = full.split('/')
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw configError(
      `invalid Vault path ${JSON.stringify(path)}`,
      'use segments separated by single "/", no "." or ".."',
    )
  }
  return encodePath(full)
}

export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/')
}

export function trimSlashes(text: string): string {
  return text.replace(/^\/+|\/+$/g, '')
}

export function configError(message: string, hint: string): SecretConfigError {
  return new SecretConfigError(message, { provider: VAULT_PROVIDER_NAME, hint })
}

/** node-vault takes no AbortSignal: stop waiting when the store gives up (the request finishes unobserved). */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal))
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal))
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

export function abortReason(signal: AbortSignal): SecretkitError {
  return signal.reason instanceof SecretkitError
    ? signal.reason
    : new ProviderUnavailableError('the Vault call was aborted', { provider: VAULT_PROVIDER_NAME })
}
