import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSecrets, ProviderUnavailableError, SecretAccessDeniedError } from '../src/index.js'
import { createTestingProvider } from '../src/testing/index.js'

describe('retries', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const retry = { attempts: 4, baseDelay: '100ms', maxDelay: '1s', timeout: '2s', deadline: '10s' } as const

  it.each(['throttled', '5xx', 'network', 'timeout'] as const)(
    'retries %s and then succeeds',
    async (fault) => {
      const upstream = createTestingProvider({ secrets: { db: 'ok' } })
      upstream.fail(fault, { times: 2 })
      const store = createSecrets({ providers: { up: upstream }, retry })
      const read = store.resolve('up://db')
      await vi.advanceTimersByTimeAsync(10_000)
      expect(await read).toBe('ok')
      expect(upstream.calls.total).toBe(3)
      await store.close()
    },
  )

  it('gives up after the attempts with ProviderUnavailableError', async () => {
    const upstream = createTestingProvider({ secrets: { db: 'ok' } })
    upstream.fail('5xx')
    const store = createSecrets({ providers: { up: upstream }, retry })
    const read = store.resolve('up://db').catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(await read).toBeInstanceOf(ProviderUnavailableError)
    expect(upstream.calls.total).toBe(4)
    await store.close()
  })

  it('never retries access denied', async () => {
    const upstream = createTestingProvider({ secrets: { db: 'ok' } })
    upstream.fail('denied')
    const store = createSecrets({ providers: { up: upstream }, retry })
    await expect(store.resolve('up://db')).rejects.toBeInstanceOf(SecretAccessDeniedError)
    expect(upstream.calls.total).toBe(1)
    await store.close()
  })

  it('honours Retry-After as the least wait before the next attempt', async () => {
    const upstream = createTestingProvider({ secrets: { db: 'ok' } })
    upstream.fail('throttled', { times: 1, retryAfter: '3s' })
    const store = createSecrets({ providers: { up: upstream }, retry: { ...retry, maxDelay: '10ms' } })
    const read = store.resolve('up://db')
    await vi.advanceTimersByTimeAsync(2_999)
    expect(upstream.calls.total).toBe(1)
    await vi.advanceTimersByTimeAsync(2)
    expect(await read).toBe('ok')
    expect(upstream.calls.total).toBe(2)
    await store.close()
  })

  it('stops at the deadline even with attempts left', async () => {
    const upstream = createTestingProvider({ secrets: { db: 'ok' } })
    upstream.fail('timeout')
    const store = createSecrets({
      providers: { up: upstream },
      retry: { attempts: 100, baseDelay: '100ms', maxDelay: '100ms', timeout: '1s', deadline: '3s' },
    })
    const read = store.resolve('up://db').catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(10_000)
    const error = (await read) as ProviderUnavailableError
    expect(error.message).toContain('timed out after 1000ms')
    expect(upstream.calls.total).toBeLessThanOrEqual(3)
    await store.close()
  })
})
