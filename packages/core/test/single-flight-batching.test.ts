import { describe, expect, it } from 'vitest'
import { createSecrets } from '../src/index.js'
import { createTestingProvider } from '../src/testing/index.js'

describe('single-flight and batching', () => {
  it('1,000 concurrent resolve() of one cold key make exactly one upstream call', async () => {
    const upstream = createTestingProvider({ secrets: { hot: 'value-1' }, latency: 20 })
    const store = createSecrets({ providers: { up: upstream } })
    const reads = await Promise.all(Array.from({ length: 1_000 }, () => store.resolve('up://hot')))
    expect(new Set(reads)).toEqual(new Set(['value-1']))
    expect(upstream.calls.total).toBe(1)
    await store.close()
  })

  it('different #fields of one secret share one upstream call', async () => {
    const upstream = createTestingProvider({
      secrets: { db: JSON.stringify({ user: 'app', password: 'pw-1' }) },
    })
    const store = createSecrets({
      providers: { up: upstream },
      secrets: { user: 'up://db#user', password: 'up://db#password' },
    })
    await store.load()
    expect([store.get('user'), store.get('password')]).toEqual(['app', 'pw-1'])
    expect(upstream.calls.total).toBe(1)
    await store.close()
  })

  it('200 different keys requested in one tick from a getMany provider (max 20) make 10 calls', async () => {
    const secrets = Object.fromEntries(
      Array.from({ length: 200 }, (_, index) => [`key-${index}`, `value-${index}`]),
    )
    const upstream = createTestingProvider({ secrets, maxBatchSize: 20 })
    const store = createSecrets({ providers: { up: upstream } })
    const reads = await Promise.all(Object.keys(secrets).map((key) => store.resolve(`up://${key}`)))
    expect(reads).toEqual(Object.values(secrets))
    expect(upstream.calls.getMany).toBe(10)
    expect(upstream.calls.total).toBe(10)
    await store.close()
  })

  it('load() of 45 declared secrets on a 20-per-call provider makes ceil(45/20) = 3 calls', async () => {
    const names = Array.from({ length: 45 }, (_, index) => `s${index}`)
    const upstream = createTestingProvider({
      secrets: Object.fromEntries(names.map((name) => [name, `v-${name}`])),
      maxBatchSize: 20,
    })
    const store = createSecrets({
      providers: { up: upstream },
      secrets: Object.fromEntries(names.map((name) => [name, `up://${name}`])),
    })
    await store.load()
    expect(upstream.calls.total).toBe(3)
    expect(store.get('s44')).toBe('v-s44')
    await store.close()
  })

  it('per-id errors inside a batch fail only that id', async () => {
    const upstream = createTestingProvider({ secrets: { a: 'A', b: 'B' }, maxBatchSize: 10 })
    upstream.fail('denied', { path: 'b' })
    const store = createSecrets({ providers: { up: upstream } })
    const [a, b, c] = await Promise.allSettled([
      store.resolve('up://a'),
      store.resolve('up://b'),
      store.resolve('up://c'),
    ])
    expect(a).toEqual({ status: 'fulfilled', value: 'A' })
    expect(b.status === 'rejected' && b.reason.code).toBe('SECRET_ACCESS_DENIED')
    expect(c.status === 'rejected' && c.reason.code).toBe('SECRET_NOT_FOUND')
    expect(upstream.calls.total).toBe(1)
    await store.close()
  })

  it('reads pinned to a version bypass batching and are cached apart from latest', async () => {
    const upstream = createTestingProvider({
      secrets: { a: { value: 'A1', version: 'v1' } },
      maxBatchSize: 10,
    })
    const store = createSecrets({ providers: { up: upstream } })
    expect(await store.resolve('up://a?version=v1')).toBe('A1')
    upstream.set('a', 'A2', 'v2')
    expect(await store.resolve('up://a')).toBe('A2')
    expect(await store.resolve('up://a?version=v1')).toBe('A1') // cached, upstream no longer has v1
    expect(upstream.calls).toMatchObject({ get: 2, getMany: 0 })
    await store.close()
  })
})

describe('resolve() memo', () => {
  it('looks an evicted entry up again instead of serving from a dropped one', async () => {
    const { vi } = await import('vitest')
    vi.useFakeTimers({ now: 0 })
    try {
      const upstream = createTestingProvider({ secrets: { k: 'one' } })
      const store = createSecrets({ providers: { up: upstream }, cache: { ttl: '10s' } })
      expect(await store.resolve('up://k')).toBe('one')
      await vi.advanceTimersByTimeAsync(60_000) // idle: refreshed once, then dropped
      upstream.set('k', 'two')
      const before = upstream.calls.total
      expect(await store.resolve('up://k')).toBe('two')
      expect(upstream.calls.total).toBe(before + 1)
      await store.close()
      await expect(store.resolve('up://k')).rejects.toThrow(/closed/)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('transient per-id failures inside a batch', () => {
  it('retries only the failed id, alone, under the retry policy', async () => {
    const upstream = createTestingProvider({ secrets: { a: 'A', b: 'B', c: 'C' }, maxBatchSize: 10 })
    upstream.fail('throttled', { path: 'b', times: 1 })
    const store = createSecrets({ providers: { up: upstream }, retry: { attempts: 3, baseDelay: 1 } })
    const values = await Promise.all(['a', 'b', 'c'].map((key) => store.resolve(`up://${key}`)))
    expect(values).toEqual(['A', 'B', 'C'])
    expect(upstream.calls).toMatchObject({ getMany: 1, get: 1 })
    expect(upstream.calls.paths.slice(3)).toEqual(['b'])
    await store.close()
  })
})
