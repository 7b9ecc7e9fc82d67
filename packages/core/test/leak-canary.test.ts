import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { createSecrets, envProvider, fileProvider, Redacted, SecretsLoadError } from '../src/index.js'
import { createTestingProvider } from '../src/testing/index.js'
import { CANARY, flush } from './support/fixtures.js'
import { captureOutput, expectNoCanary, render } from './support/leak.js'

describe('leak canary', () => {
  const captured: string[] = []
  beforeEach(() => {
    captured.length = 0
    captureOutput(captured)
  })
  afterEach(() => {
    vi.restoreAllMocks()
    expect(captured.join('\n')).not.toContain(CANARY)
  })

  it('the store, util.inspect and JSON.stringify never show a value', async () => {
    const upstream = createTestingProvider({ secrets: { db: CANARY } })
    const store = createSecrets({ providers: { up: upstream }, secrets: { db: 'up://db' } })
    await store.load()
    expect(store.get('db')).toBe(CANARY)
    expectNoCanary(store)
    expectNoCanary(store.status())
    expectNoCanary(store.redacted('db'))
    expect(`${store.redacted('db')}`).toBe('[redacted]')
    expect(JSON.stringify({ password: new Redacted(CANARY) })).toBe('{"password":"[redacted]"}')
    expect(new Redacted(CANARY).reveal()).toBe(CANARY)
    await store.close()
  })

  it('scrub() removes every loaded value and its common encodings', async () => {
    const upstream = createTestingProvider({
      secrets: { json: JSON.stringify({ password: CANARY, user: 'app-user' }), plain: 'second-secret-value' },
    })
    const store = createSecrets({ providers: { up: upstream }, secrets: { password: 'up://json#password' } })
    await store.load()
    await store.resolve('up://plain')
    const text = `pw=${CANARY} json=${JSON.stringify(CANARY)} url=${encodeURIComponent(CANARY)} b64=${Buffer.from(CANARY).toString('base64')} other=second-secret-value`
    const scrubbed = store.scrub(text)
    expect(scrubbed).not.toContain(CANARY)
    expect(scrubbed).not.toContain(Buffer.from(CANARY).toString('base64').replace(/=+$/, ''))
    expect(scrubbed).not.toContain('second-secret-value')
    expect(scrubbed).toContain('pw=[redacted]')
    await store.close()
  })

  it('validation errors (zod) say what was expected, never what was received', async () => {
    const upstream = createTestingProvider({ secrets: { port: CANARY } })
    const store = createSecrets({
      providers: { up: upstream },
      secrets: { port: { from: 'up://port', schema: z.coerce.number() } },
    })
    const error = await store.load().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SecretsLoadError)
    expect((error as Error).message).toMatch(/expected number/i)
    expectNoCanary(error)
    await store.close()
  })

  it('a malformed JSON secret read by #field does not quote the secret', async () => {
    const upstream = createTestingProvider({ secrets: { broken: `{"password": "${CANARY}"` } })
    const store = createSecrets({ providers: { up: upstream }, secrets: { pw: 'up://broken#password' } })
    const error = await store.load().catch((caught: unknown) => caught)
    expectNoCanary(error)
    await expect(store.resolve('up://broken#password')).rejects.toSatisfy(
      (caught) => !render(caught).includes(CANARY),
    )
    await store.close()
  })

  it('a malformed JSON file does not quote the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'secretkit-leak-'))
    await writeFile(join(dir, 'broken.json'), `{"password": ${CANARY}}`)
    const store = createSecrets({
      providers: { file: fileProvider({ dir }) },
      secrets: { pw: 'file://broken.json#password' },
    })
    const error = await store.load().catch((caught: unknown) => caught)
    expect((error as Error).message).toContain('not valid JSON')
    expectNoCanary(error)
    await store.close()
  })

  it('every provider error path, event and refresh failure carries names only', async () => {
    vi.useFakeTimers({ now: 0 })
    try {
      const upstream = createTestingProvider({ secrets: { db: CANARY, other: `${CANARY}-2` } })
      const store = createSecrets({
        providers: { up: upstream, env: envProvider({ env: { EMPTY: '' } }) },
        secrets: { db: 'up://db', other: { from: 'up://other', schema: z.string().max(5).or(z.string()) } },
        cache: { ttl: '10s', staleIfError: '20s' },
        retry: { attempts: 2, baseDelay: 1 },
      })
      const events: unknown[] = []
      store.on('change', (event) => events.push(event))
      store.on('error', (event) => events.push(event))
      await store.load()

      const errors: unknown[] = []
      for (const fault of ['not-found', 'denied', 'throttled', '5xx', 'network', 'timeout'] as const) {
        upstream.fail(fault)
        const reads = [
          store.refresh('db'),
          store.resolve('up://other?version=nope'),
          store.tenant('acme').get('db'),
        ]
        const settled = Promise.allSettled(reads)
        await vi.advanceTimersByTimeAsync(40_000) // timeouts, retries, background refresh failures
        for (const outcome of await settled) if (outcome.status === 'rejected') errors.push(outcome.reason)
        upstream.heal()
      }
      upstream.fail('5xx')
      await vi.advanceTimersByTimeAsync(60_000) // past stale-if-error: get() throws
      try {
        store.get('db')
      } catch (error) {
        errors.push(error)
      }
      errors.push(await store.resolve('env://EMPTY').catch((caught: unknown) => caught))
      upstream.heal()
      upstream.set('db', `${CANARY}-rotated`)
      await vi.advanceTimersByTimeAsync(60_000)
      await flush()

      expect(errors.length).toBeGreaterThanOrEqual(12)
      expect(events.some((event) => (event as { code?: string }).code === 'PROVIDER_UNAVAILABLE')).toBe(true)
      expect(events.some((event) => (event as { version?: string }).version !== undefined)).toBe(true)
      for (const item of [...errors, ...events]) expectNoCanary(item)
      await store.close()
    } finally {
      vi.useRealTimers()
    }
  })

  it('an unexpected (untyped) provider error is replaced, not passed through', async () => {
    const store = createSecrets({
      providers: {
        up: {
          name: 'broken',
          async get() {
            throw new Error(`driver said: ${CANARY}`)
          },
        },
      },
    })
    const error = await store.resolve('up://x').catch((caught: unknown) => caught)
    expect((error as Error).message).toContain('unexpected Error')
    expectNoCanary(error)
    await store.close()
  })
})
