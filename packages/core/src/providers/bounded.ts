import { ProviderUnavailableError, SecretConfigError } from '../errors.js'
import type { ProviderCallOptions, ProviderResult, SecretRequest } from '../provider.js'

/** Runs tasks with at most `max` in flight; the rest wait in order. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>

/** Checks a `concurrency` option: a whole number of at least 1. */
export function toConcurrency(value: number | undefined, provider: string): number {
  const concurrency = value ?? 10
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new SecretConfigError(`Invalid ${provider} concurrency ${JSON.stringify(value)}`, {
      provider,
      hint: 'use a whole number of at least 1 (default 10)',
    })
  }
  return concurrency
}

/**
 * One limiter per provider instance, shared by `get` and `getMany`: the store sends every
 * batch of a `load()` at once, so the bound has to hold across batches, not within one.
 */
export function createLimiter(max: number): Limiter {
  let active = 0
  const waiting: Array<() => void> = []
  const release = () => {
    active--
    waiting.shift()?.()
  }
  return async (task) => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve))
    active++
    try {
      return await task()
    } finally {
      release()
    }
  }
}

/**
 * `getMany` for services without a batch API: one `get` per request through the provider's
 * limiter, each result or typed error in request order. When every request failed with a
 * retryable error (an outage, not a per-secret problem) the first is thrown instead, so the
 * store's retry policy runs for the batch as it does for a single read.
 */
export async function getEach(
  requests: readonly SecretRequest[],
  options: ProviderCallOptions,
  get: (request: SecretRequest, options: ProviderCallOptions) => Promise<ProviderResult>,
): Promise<Array<ProviderResult | Error>> {
  const results = await Promise.all(
    requests.map((request) => get(request, options).catch((error: unknown) => toError(error))),
  )
  const retryable = results.filter(
    (result): result is ProviderUnavailableError =>
      result instanceof ProviderUnavailableError && result.retryable,
  )
  if (retryable.length > 0 && retryable.length === results.length) throw retryable[0]
  return results
}

function toError(error: unknown): Error {
  // Providers throw typed errors only; anything else is reported by kind, never by content.
  return error instanceof Error
    ? error
    : new ProviderUnavailableError(`a read failed with a non-error ${typeof error}`, { retryable: false })
}
