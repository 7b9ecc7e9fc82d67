import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ProviderUnavailableError, SecretNotFoundError } from '../src/index.js'
import { flush, setup } from './support/fixtures.js'

const lazy = {
  ttl: '10s',
  staleWhileRevalidate: '5s',
  staleIfError: '1m',
  negativeTtl: '2s',
  refresh: 'lazy',
} as const
const noRetry = { attempts: 1 }

describe('cache policy', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('serves from memory within the TTL and fetches again after it', async () => {
    const { upstream, store } = setup({}, {}, { cache: { ...lazy, staleWhileRevalidate: 0 }, retry: noRetry })
    expect(await store.resolve('up://db')).toBe('first')
    await vi.advanceTimersByTimeAsync(9_999)
    expect(await store.resolve('up://db')).toBe('first')
    expect(upstream.calls.total).toBe(1)

    upstream.set('db', 'second')
    await vi.advanceTimersByTimeAsync(2)
    // Past the TTL with no stale window: the read waits for the upstream.
    expect(await store.resolve('up://db')).toBe('second')
    expect(upstream.calls.total).toBe(2)
    await store.close()
  })

  it('stale-while-revalidate: serves the stale value once past the TTL and refreshes once in the background', async () => {
    const { upstream, store } = setup({}, {}, { cache: lazy, retry: noRetry })
    await store.resolve('up://db')
    upstream.set('db', 'second')
    await vi.advanceTimersByTimeAsync(12_000) // past TTL, inside the 5 s stale window

    const reads = await Promise.all([
      store.resolve('up://db'),
      store.resolve('up://db'),
      store.resolve('up://db'),
    ])
    expect(reads).toEqual(['first', 'first', 'first'])
    await flush()
    expect(upstream.calls.total).toBe(2) // exactly one background refresh for three stale reads
    expect(await store.resolve('up://db')).toBe('second')
    await store.close()
  })

  it('past the stale window a read waits for the upstream instead of serving stale', async () => {
    const { upstream, store } = setup({}, {}, { cache: lazy, retry: noRetry })
    await store.resolve('up://db')
    upstream.set('db', 'second')
    await vi.advanceTimersByTimeAsync(15_001) // TTL 10 s + stale 5 s
    expect(await store.resolve('up://db')).toBe('second')
    expect(upstream.calls.total).toBe(2)
    await store.close()
  })

  it('stale-if-error: keeps serving the last good value within the window, then fails', async () => {
    const { upstream, store } = setup({ db: 'up://db' }, {}, { cache: lazy, retry: noRetry })
    const errors: string[] = []
    store.on('error', (event) => errors.push(`${event.name}:${event.code}:${event.servingStale}`))
    await store.load()
    upstream.fail('5xx')

    await vi.advanceTimersByTimeAsync(11_000) // stale: triggers a refresh that fails
    expect(store.get('db')).toBe('first')
    await flush()
    expect(errors).toEqual(['db:PROVIDER_UNAVAILABLE:true'])

    await vi.advanceTimersByTimeAsync(30_000) // 41 s: past stale-while-revalidate, inside stale-if-error (10 s + 60 s)
    expect(store.get('db')).toBe('first')
    expect(await store.resolve('up://db')).toBe('first')

    await vi.advanceTimersByTimeAsync(30_000) // 71 s: past the stale-if-error window
    expect(() => store.get('db')).toThrow(ProviderUnavailableError)
    await expect(store.resolve('up://db')).rejects.toBeInstanceOf(ProviderUnavailableError)

    upstream.heal()
    expect(await store.resolve('up://db')).toBe('first')
    await flush()
    expect(store.get('db')).toBe('first')
    await store.close()
  })

  it('negative cache: a not-found answer is remembered for negativeTtl, then asked again', async () => {
    const { upstream, store } = setup({}, {}, { cache: lazy, retry: noRetry })
    await expect(store.resolve('up://missing')).rejects.toBeInstanceOf(SecretNotFoundError)
    await expect(store.resolve('up://missing')).rejects.toBeInstanceOf(SecretNotFoundError)
    expect(upstream.calls.total).toBe(1)

    upstream.set('missing', 'now-here')
    await vi.advanceTimersByTimeAsync(1_999)
    await expect(store.resolve('up://missing')).rejects.toBeInstanceOf(SecretNotFoundError)
    expect(upstream.calls.total).toBe(1)

    await vi.advanceTimersByTimeAsync(2)
    expect(await store.resolve('up://missing')).toBe('now-here')
    expect(upstream.calls.total).toBe(2)
    await store.close()
  })

  it('forced refresh bypasses a fresh cache, and a failed one keeps the last good value', async () => {
    const { upstream, store } = setup({ db: 'up://db' }, {}, { cache: lazy, retry: noRetry })
    await store.load()
    upstream.set('db', 'second')
    expect(store.get('db')).toBe('first') // still fresh: no upstream call
    expect(upstream.calls.total).toBe(1)

    await store.refresh('db')
    expect(upstream.calls.total).toBe(2)
    expect(store.get('db')).toBe('second')

    upstream.fail('5xx')
    await expect(store.refresh('db')).rejects.toBeInstanceOf(ProviderUnavailableError)
    expect(store.get('db')).toBe('second')
    await store.close()
  })

  it('background refresh runs before expiry with jitter, so values never go stale', async () => {
    const { upstream, store } = setup({ db: 'up://db' }, {}, { cache: { ttl: '10s' }, retry: noRetry })
    await store.load()
    await vi.advanceTimersByTimeAsync(8_000) // below 0.9 × 0.9 × TTL: not yet
    expect(upstream.calls.total).toBe(1)
    await vi.advanceTimersByTimeAsync(1_950) // by 0.99 × TTL it has run
    expect(upstream.calls.total).toBe(2)
    expect(store.status()[0]?.state).toBe('fresh')
    // An hour of background refresh costs about 3600 / ttl calls, never more.
    await vi.advanceTimersByTimeAsync(3_600_000)
    expect(upstream.calls.total).toBeGreaterThanOrEqual(360)
    expect(upstream.calls.total).toBeLessThanOrEqual(3600 / 8.1 + 2)
    await store.close()
  })

  it('idle ad-hoc entries stop refreshing and are dropped', async () => {
    const { upstream, store } = setup({}, {}, { cache: { ttl: '10s' }, retry: noRetry })
    await store.resolve('up://db')
    await vi.advanceTimersByTimeAsync(60_000)
    // One refresh after the read (it was accessed), then idle: no more calls.
    expect(upstream.calls.total).toBeLessThanOrEqual(2)
    await store.close()
  })

  it('a lease shorter than the TTL bounds freshness and serving', async () => {
    const { upstream, store } = setup({}, {}, { cache: { ...lazy, ttl: '1h' }, retry: noRetry })
    const get = upstream.get.bind(upstream)
    upstream.get = async (request, options) => ({
      ...(await get(request, options)),
      expiresAt: Date.now() + 5_000,
    })
    await store.resolve('up://db')
    await vi.advanceTimersByTimeAsync(4_000)
    await store.resolve('up://db')
    expect(upstream.calls.total).toBe(1)
    await vi.advanceTimersByTimeAsync(1_001)
    upstream.fail('5xx')
    // Past the lease nothing may be served, not even under stale-if-error.
    await expect(store.resolve('up://db')).rejects.toBeInstanceOf(ProviderUnavailableError)
    await store.close()
  })
})
