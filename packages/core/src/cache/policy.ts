import { type Duration, toMilliseconds } from '../duration.js'
import { SecretConfigError } from '../errors.js'

export interface CacheOptions {
  /** How long a fetched value counts as fresh. `Infinity` caches forever. @default '5m' */
  ttl?: Duration
  /** Past the TTL, serve the stale value this long while one background refresh runs. @default '1m' */
  staleWhileRevalidate?: Duration
  /** While the upstream fails, keep serving the last good value this long past the TTL. @default '1h' */
  staleIfError?: Duration
  /** How long a not-found answer is remembered, so a missing secret is not hammered. @default '30s' */
  negativeTtl?: Duration
  /**
   * `'background'` refreshes every value in use shortly before it expires (±10 % jitter), so
   * reads never wait; `'lazy'` refreshes on the first read past the TTL (stale-while-revalidate).
   * @default 'background'
   */
  refresh?: 'background' | 'lazy'
}

export interface RetryOptions {
  /** Attempts per upstream call, the first included. @default 3 */
  attempts?: number
  /** Base of the exponential back-off (full jitter). @default '100ms' */
  baseDelay?: Duration
  /** Cap of one back-off sleep. @default '5s' */
  maxDelay?: Duration
  /** Time limit of one attempt; a slower call is aborted and counts as unavailable. @default '10s' */
  timeout?: Duration
  /** Time limit of all attempts together. @default '30s' */
  deadline?: Duration
}

export interface CachePolicy {
  ttl: number
  staleWhileRevalidate: number
  staleIfError: number
  negativeTtl: number
  refresh: 'background' | 'lazy'
}

export interface RetryPolicy {
  attempts: number
  baseDelay: number
  maxDelay: number
  timeout: number
  deadline: number
}

export function toCachePolicy(options: CacheOptions = {}): CachePolicy {
  const refresh = options.refresh ?? 'background'
  if (refresh !== 'background' && refresh !== 'lazy') {
    throw new SecretConfigError(`Invalid cache.refresh ${JSON.stringify(refresh)}`, {
      hint: "use 'background' or 'lazy'",
    })
  }
  return {
    ttl: toMilliseconds(options.ttl ?? '5m', 'cache.ttl'),
    staleWhileRevalidate: toMilliseconds(options.staleWhileRevalidate ?? '1m', 'cache.staleWhileRevalidate'),
    staleIfError: toMilliseconds(options.staleIfError ?? '1h', 'cache.staleIfError'),
    negativeTtl: toMilliseconds(options.negativeTtl ?? '30s', 'cache.negativeTtl'),
    refresh,
  }
}

export function toRetryPolicy(options: RetryOptions = {}): RetryPolicy {
  const attempts = options.attempts ?? 3
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new SecretConfigError(`Invalid retry.attempts ${JSON.stringify(attempts)}`, {
      hint: 'use a whole number of at least 1',
    })
  }
  return {
    attempts,
    baseDelay: toMilliseconds(options.baseDelay ?? '100ms', 'retry.baseDelay'),
    maxDelay: toMilliseconds(options.maxDelay ?? '5s', 'retry.maxDelay'),
    timeout: toMilliseconds(options.timeout ?? '10s', 'retry.timeout'),
    deadline: toMilliseconds(options.deadline ?? '30s', 'retry.deadline'),
  }
}
