import {
  ProviderUnavailableError,
  SecretConfigError,
  SecretkitError,
  SecretNotFoundError,
} from '../errors.js'
import type { ProviderCallOptions, ProviderResult, SecretProvider, SecretRequest } from '../provider.js'
import { formatRef } from '../ref.js'
import { ProviderBatcher } from './batcher.js'
import { type CacheEntry, entryKey, hasChanged } from './entry.js'
import type { CachePolicy, RetryPolicy } from './policy.js'
import { withRetry } from './retry.js'

export interface CacheEvents {
  /** A fetch succeeded; `changed` when it replaced a different version. */
  updated(entry: CacheEntry, changed: boolean): void
  /** A refresh of a value already held failed. */
  failed(entry: CacheEntry, error: SecretkitError): void
  /** The entry stopped being fresh without a refresh (lazy mode, or a failure). */
  stale(entry: CacheEntry): void
}

/** Shortest and longest wait before retrying a failed background refresh. */
const RETRY_FLOOR_MS = 1_000
const RETRY_CEILING_MS = 30_000

/**
 * The cache policy: TTL, stale-while-revalidate, stale-if-error, negative cache,
 * single-flight, same-tick batching and background refresh. One per store.
 */
export class SecretCache {
  readonly #providers: ReadonlyMap<string, SecretProvider>
  readonly #policy: CachePolicy
  readonly #retry: RetryPolicy
  readonly #events: CacheEvents
  readonly #entries = new Map<string, CacheEntry>()
  readonly #batchers = new Map<string, ProviderBatcher>()
  readonly #closed = new AbortController()

  constructor(
    providers: ReadonlyMap<string, SecretProvider>,
    policy: CachePolicy,
    retry: RetryPolicy,
    events: CacheEvents,
  ) {
    this.#providers = providers
    this.#policy = policy
    this.#retry = retry
    this.#events = events
  }

  get policy(): CachePolicy {
    return this.#policy
  }

  /** The entry for a provider read, created empty on first use. */
  entry(providerName: string, request: SecretRequest): CacheEntry {
    const key = entryKey(providerName, request)
    let entry = this.#entries.get(key)
    if (entry === undefined) {
      if (!this.#providers.has(providerName)) {
        throw new SecretConfigError(`No provider named "${providerName}" is registered`, {
          provider: providerName,
          hint: `register it in createSecrets({ providers: { ${providerName}: … } }) or fix the reference`,
        })
      }
      entry = {
        key,
        providerName,
        request,
        ref: formatRef({ provider: providerName, ...request }),
        result: undefined,
        fetchedAt: 0,
        freshUntil: 0,
        staleUntil: 0,
        errorUntil: 0,
        lastError: undefined,
        notFoundUntil: 0,
        notFound: undefined,
        inflight: undefined,
        timer: undefined,
        accessed: false,
        pinned: 0,
        evicted: false,
      }
      this.#entries.set(key, entry)
    }
    return entry
  }

  /**
   * The entry's value under the policy: fresh → from memory; stale within the windows →
   * from memory plus one background refresh; otherwise one (shared) upstream call.
   * With `force` the upstream is always asked and a failure is thrown.
   */
  read(entry: CacheEntry, force = false): ProviderResult | Promise<ProviderResult> {
    this.#assertOpen()
    entry.accessed = true
    if (!force) {
      const now = Date.now()
      if (entry.notFoundUntil > now) return Promise.reject(entry.notFound)
      const result = entry.result
      if (result !== undefined) {
        if (now < entry.freshUntil) return result
        if (now < entry.staleUntil || (entry.lastError !== undefined && now < entry.errorUntil)) {
          this.revalidate(entry)
          return result
        }
      }
    }
    return this.#fetch(entry).catch((error: unknown) => {
      // Stale-if-error: a blocking read past the windows still gets the last good value.
      if (!force && entry.result !== undefined && Date.now() < entry.errorUntil) return entry.result
      throw error
    })
  }

  /** Starts one background refresh unless one is already running. */
  revalidate(entry: CacheEntry): void {
    if (entry.inflight === undefined && !this.#closed.signal.aborted) {
      this.#fetch(entry).catch(() => {
        // Reported through `failed`; the last good value keeps being served.
      })
    }
  }

  /** Whether the entry's value may be served right now (fresh, or stale within a window). */
  isServable(entry: CacheEntry, now = Date.now()): boolean {
    if (entry.result === undefined) return false
    if (now < entry.staleUntil) return true
    return entry.lastError !== undefined ? now < entry.errorUntil : true
  }

  async close(): Promise<void> {
    if (this.#closed.signal.aborted) return
    this.#closed.abort(new SecretConfigError('The secret store was closed'))
    for (const entry of this.#entries.values()) {
      clearTimeout(entry.timer)
      entry.evicted = true
    }
    this.#entries.clear()
  }

  #fetch(entry: CacheEntry): Promise<ProviderResult> {
    if (entry.inflight !== undefined) return entry.inflight
    const inflight = this.#batcher(entry.providerName)
      .read(entry.request)
      .then(
        (result) => {
          this.#store(entry, result)
          return result
        },
        (error: unknown) => {
          throw this.#fail(entry, toSecretkitError(error, entry))
        },
      )
      .finally(() => {
        entry.inflight = undefined
      })
    entry.inflight = inflight
    return inflight
  }

  #batcher(providerName: string): ProviderBatcher {
    let batcher = this.#batchers.get(providerName)
    if (batcher === undefined) {
      const provider = this.#providers.get(providerName)!
      const closed = this.#closed.signal
      const call = <T>(attempt: (options: ProviderCallOptions) => Promise<T>) =>
        withRetry(this.#retry, (signal) => attempt({ signal }), closed)
      batcher = new ProviderBatcher(provider, call)
      this.#batchers.set(providerName, batcher)
    }
    return batcher
  }

  #store(entry: CacheEntry, result: ProviderResult): void {
    if (this.#closed.signal.aborted) return
    const now = Date.now()
    const previous = entry.result
    const expiresAt = result.expiresAt ?? Number.POSITIVE_INFINITY
    entry.result = result
    entry.fetchedAt = now
    entry.freshUntil = Math.min(now + this.#policy.ttl, expiresAt)
    entry.staleUntil = Math.min(entry.freshUntil + this.#policy.staleWhileRevalidate, expiresAt)
    entry.errorUntil = Math.min(entry.freshUntil + this.#policy.staleIfError, expiresAt)
    entry.lastError = undefined
    entry.notFound = undefined
    entry.notFoundUntil = 0
    this.#schedule(entry, now)
    this.#events.updated(entry, previous !== undefined && hasChanged(previous, result))
  }

  #fail(entry: CacheEntry, error: SecretkitError): SecretkitError {
    if (this.#closed.signal.aborted) return error
    if (entry.result === undefined) {
      if (error instanceof SecretNotFoundError) {
        entry.notFound = error
        entry.notFoundUntil = Date.now() + this.#policy.negativeTtl
      }
      return error
    }
    entry.lastError = error
    this.#events.stale(entry)
    this.#events.failed(entry, error)
    if (this.#policy.refresh === 'background') {
      const wait = Math.min(RETRY_CEILING_MS, Math.max(RETRY_FLOOR_MS, this.#policy.ttl / 10))
      this.#setTimer(entry, wait * (0.5 + Math.random() / 2), () => this.revalidate(entry))
    }
    return error
  }

  #schedule(entry: CacheEntry, now: number): void {
    const window = entry.freshUntil - now
    if (!Number.isFinite(window)) return
    if (this.#policy.refresh === 'lazy') {
      this.#setTimer(entry, window, () => this.#events.stale(entry))
      return
    }
    // Refresh at 90 % of the fresh window, ±10 % jitter, so a fleet does not refresh in lockstep.
    const delay = window * 0.9 * (1 + (Math.random() * 2 - 1) * 0.1)
    this.#setTimer(entry, delay, () => {
      if (!entry.accessed && entry.pinned === 0) {
        // Idle ad-hoc entry: stop refreshing and drop the value from memory.
        this.#entries.delete(entry.key)
        entry.evicted = true
        entry.result = undefined
        return
      }
      entry.accessed = false
      this.revalidate(entry)
    })
  }

  #setTimer(entry: CacheEntry, delay: number, run: () => void): void {
    clearTimeout(entry.timer)
    entry.timer = setTimeout(run, Math.max(0, delay))
    entry.timer.unref?.()
  }

  #assertOpen(): void {
    if (this.#closed.signal.aborted) {
      throw new SecretConfigError('The secret store is closed', { hint: 'create a new store after close()' })
    }
  }
}

/** Anything a provider threw, as a typed error that carries no upstream text. */
function toSecretkitError(error: unknown, entry: CacheEntry): SecretkitError {
  if (error instanceof SecretkitError) return error
  const kind = error instanceof Error ? error.name : typeof error
  return new ProviderUnavailableError(`provider "${entry.providerName}" failed with an unexpected ${kind}`, {
    provider: entry.providerName,
    retryable: false,
    hint: 'this is a bug in the provider: it should throw secretkit errors only',
  })
}
