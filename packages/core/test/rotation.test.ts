import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SecretChangeEvent } from '../src/events.js'
import { createSecrets, isAuthError } from '../src/index.js'
import { createTestingProvider } from '../src/testing/index.js'

describe('rotation', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('background refresh picks up a rotation without get() blocking and emits one change event without the value', async () => {
    const upstream = createTestingProvider({ secrets: { db: { value: 'old-password', version: 'v1' } } })
    const store = createSecrets({
      providers: { up: upstream },
      secrets: { db: 'up://db' },
      cache: { ttl: '1m' },
    })
    const changes: SecretChangeEvent[] = []
    store.on('change', (event) => changes.push(event))
    await store.load()

    upstream.set('db', 'new-password', 'v2')
    upstream.setLatency('2s') // a slow upstream: get() must still answer at once
    const seen = new Set<string>()
    for (let second = 0; second < 70; second++) {
      seen.add(store.get('db')) // synchronous: a Promise here would be a blocking read
      await vi.advanceTimersByTimeAsync(1_000)
    }
    expect(seen).toEqual(new Set(['old-password', 'new-password']))
    expect(store.get('db')).toBe('new-password')
    expect(changes).toEqual([
      { name: 'db', ref: 'up://db', provider: 'up', version: 'v2', previousVersion: 'v1' },
    ])
    expect(JSON.stringify(changes)).not.toMatch(/old-password|new-password/)
    await store.close()
  })

  it('without upstream versions a changed value still counts as one rotation', async () => {
    const upstream = createTestingProvider({ secrets: { key: 'a-value' } })
    upstream.get = ((get) => async (request, options) => {
      const { value } = await get(request, options)
      return { value }
    })(upstream.get.bind(upstream))
    const store = createSecrets({
      providers: { up: upstream },
      secrets: { key: 'up://key' },
      cache: { ttl: '10s' },
    })
    const changes: string[] = []
    store.on('change', (event) => changes.push(event.name))
    await store.load()
    await vi.advanceTimersByTimeAsync(30_000) // refreshes with the same value: no event
    expect(changes).toEqual([])
    upstream.set('key', 'b-value')
    await vi.advanceTimersByTimeAsync(10_000)
    expect(changes).toEqual(['key'])
    await store.close()
  })

  it('withRotation refreshes once and retries when the credential was rejected', async () => {
    const upstream = createTestingProvider({ secrets: { db: 'old-password' } })
    const store = createSecrets({ providers: { up: upstream }, secrets: { db: 'up://db' } })
    await store.load()
    upstream.set('db', 'new-password')
    const tried: string[] = []
    const result = await store.withRotation('db', async (password) => {
      tried.push(password)
      if (password !== 'new-password')
        throw Object.assign(new Error('password authentication failed'), { code: '28P01' })
      return 'connected'
    })
    expect(result).toBe('connected')
    expect(tried).toEqual(['old-password', 'new-password'])
    expect(upstream.calls.total).toBe(2)
    await store.close()
  })

  it('withRotation rethrows errors that are not auth failures without refreshing', async () => {
    const upstream = createTestingProvider({ secrets: { db: 'pw' } })
    const store = createSecrets({ providers: { up: upstream }, secrets: { db: 'up://db' } })
    await store.load()
    await expect(
      store.withRotation('db', () => {
        throw new Error('connection refused')
      }),
    ).rejects.toThrow('connection refused')
    expect(upstream.calls.total).toBe(1)
    await store.close()
  })

  it('recognises common auth failures', () => {
    expect(isAuthError({ status: 401 })).toBe(true)
    expect(isAuthError({ $metadata: { httpStatusCode: 403 } })).toBe(true)
    expect(isAuthError({ code: 'ER_ACCESS_DENIED_ERROR' })).toBe(true)
    expect(isAuthError({ code: 'WRONGPASS' })).toBe(true)
    expect(isAuthError(new Error('ECONNREFUSED'))).toBe(false)
  })
})
