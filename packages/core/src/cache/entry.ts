import type { SecretkitError, SecretNotFoundError } from '../errors.js'
import type { ProviderResult, SecretRequest } from '../provider.js'

/** One cached upstream secret (before `#field` extraction), shared by every reader of it. */
export interface CacheEntry {
  /** `provider\0path\0version\0stage` */
  readonly key: string
  readonly providerName: string
  readonly request: SecretRequest
  /** A reference naming this entry (no field), for events and errors. */
  readonly ref: string
  /** Last good result; kept through failures for stale-if-error. */
  result: ProviderResult | undefined
  fetchedAt: number
  /** Fresh until this epoch ms. */
  freshUntil: number
  /** Past `freshUntil`, served while revalidating until this epoch ms. */
  staleUntil: number
  /** While the upstream fails, served until this epoch ms. */
  errorUntil: number
  /** Last failed refresh, cleared by the next success. */
  lastError: SecretkitError | undefined
  /** Negative cache: not-found remembered until this epoch ms. */
  notFoundUntil: number
  notFound: SecretNotFoundError | undefined
  inflight: Promise<ProviderResult> | undefined
  timer: ReturnType<typeof setTimeout> | undefined
  /** Read since the last fetch; idle ad-hoc entries stop refreshing. */
  accessed: boolean
  /** Declared secrets currently bound to this entry keep it refreshing. */
  pinned: number
  /** Dropped from the cache (idle or closed): holders must look the entry up again. */
  evicted: boolean
}

export function entryKey(providerName: string, request: SecretRequest): string {
  return `${providerName}\0${request.path}\0${request.version ?? ''}\0${request.stage ?? ''}`
}

/** True when the two results differ in version, or (without versions) in value. */
export function hasChanged(previous: ProviderResult, next: ProviderResult): boolean {
  if (previous.version !== undefined || next.version !== undefined) return previous.version !== next.version
  return !sameValue(previous.value, next.value)
}

function sameValue(a: string | Uint8Array, b: string | Uint8Array): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b)
}
