import { type } from 'arktype'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  createSecrets,
  SecretAccessDeniedError,
  SecretConfigError,
  SecretsLoadError,
  SecretValidationError,
} from '../src/index.js'
import { createTestingProvider } from '../src/testing/index.js'

describe('load()', () => {
  it('throws one SecretsLoadError listing every broken secret with name, refs and cause', async () => {
    const upstream = createTestingProvider({ secrets: { ok: 'fine', notJson: 'plain text' } })
    upstream.fail('denied', { path: 'locked' })
    const store = createSecrets({
      providers: { up: upstream },
      secrets: {
        good: 'up://ok',
        missing: 'up://nowhere',
        denied: 'up://locked',
        badField: 'up://notJson#password',
      },
      retry: { attempts: 1 },
    })
    const error = await store.load().then(
      () => undefined,
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(SecretsLoadError)
    const loadError = error as SecretsLoadError
    expect(loadError.failures.map((failure) => [failure.name, failure.refs, failure.code])).toEqual([
      ['missing', ['up://nowhere'], 'SECRET_NOT_FOUND'],
      ['denied', ['up://locked'], 'SECRET_ACCESS_DENIED'],
      ['badField', ['up://notJson#password'], 'SECRET_VALIDATION_FAILED'],
    ])
    expect(loadError.message).toMatch(
      /^3 secrets failed to load:\n {2}- missing \(up:\/\/nowhere\): \[SECRET_NOT_FOUND\]/,
    )
    expect(loadError.message.split('\n')).toHaveLength(4)
    expect(store.get('good')).toBe('fine')
    await store.close()
  })

  it('fallback chains fall through on not-found and unavailable, and record the winning source', async () => {
    const cloud = createTestingProvider({ secrets: { 'prod/api': 'from-cloud' } })
    cloud.fail('5xx', { path: 'prod/down' })
    const local = createTestingProvider({ secrets: { API: 'from-local', DOWN: 'local-down' }, name: 'local' })
    const store = createSecrets({
      providers: { cloud, local },
      secrets: {
        api: ['cloud://prod/api', 'local://API'],
        missingInCloud: ['cloud://prod/none', 'local://API'],
        down: ['cloud://prod/down', 'local://DOWN'],
      },
      retry: { attempts: 2, baseDelay: 1 },
    })
    await store.load()
    expect(store.get('api')).toBe('from-cloud')
    expect(store.get('missingInCloud')).toBe('from-local')
    expect(store.get('down')).toBe('local-down')
    expect(store.status().map((status) => [status.name, status.source])).toEqual([
      ['api', 'cloud://prod/api'],
      ['missingInCloud', 'local://API'],
      ['down', 'local://DOWN'],
    ])
    await store.close()
  })

  it('never falls through on access denied: that is a bug to surface', async () => {
    const cloud = createTestingProvider()
    cloud.fail('denied')
    const local = createTestingProvider({ secrets: { API: 'from-local' } })
    const store = createSecrets({
      providers: { cloud, local },
      secrets: { api: ['cloud://prod/api', 'local://API'] },
    })
    const error = (await store.load().catch((caught: unknown) => caught)) as SecretsLoadError
    expect(error.errors[0]).toBeInstanceOf(SecretAccessDeniedError)
    expect(local.calls.total).toBe(0)
    await store.close()
  })

  it('names every tried source when a whole chain misses', async () => {
    const store = createSecrets({
      providers: { a: createTestingProvider(), b: createTestingProvider() },
      secrets: { token: ['a://x', 'b://y'] },
    })
    const error = (await store.load().catch((caught: unknown) => caught)) as SecretsLoadError
    expect(error.message).toContain(
      'no source in the chain had it (a://x SECRET_NOT_FOUND, b://y SECRET_NOT_FOUND)',
    )
    await store.close()
  })

  it('optional secrets load as undefined or their default', async () => {
    const store = createSecrets({
      providers: { up: createTestingProvider() },
      secrets: {
        sentry: { from: 'up://sentry', optional: true },
        region: { from: 'up://region', optional: true, default: 'eu-west-1' },
      },
    })
    await store.load()
    expect(store.get('sentry')).toBeUndefined()
    expect(store.get('region')).toBe('eu-west-1')
    expect(store.status().map((status) => status.state)).toEqual(['missing', 'missing'])
    await store.close()
  })

  it.each([
    ['zod', z.coerce.number().int()],
    ['valibot', v.pipe(v.string(), v.transform(Number), v.number(), v.integer())],
    ['arktype', type('string.integer.parse')],
  ])('validates and transforms with a %s Standard Schema', async (_, schema) => {
    const upstream = createTestingProvider({ secrets: { port: '8080', bad: 'eighty' } })
    const good = createSecrets({
      providers: { up: upstream },
      secrets: { port: { from: 'up://port', schema } },
    })
    await good.load()
    expect(good.get('port')).toBe(8080)

    const bad = createSecrets({
      providers: { up: upstream },
      secrets: { port: { from: 'up://bad', schema } },
    })
    const error = (await bad.load().catch((caught: unknown) => caught)) as SecretsLoadError
    expect(error.errors[0]).toBeInstanceOf(SecretValidationError)
    expect(JSON.stringify(error)).not.toContain('eighty')
    expect(String(error.stack)).not.toContain('eighty')
    await good.close()
    await bad.close()
  })

  it('get() before load() and unknown names are config errors that say what to do', async () => {
    const store = createSecrets({ providers: { up: createTestingProvider() }, secrets: { db: 'up://db' } })
    expect(() => store.get('db')).toThrow(/read before load\(\) finished — await secrets.load\(\)/)
    expect(() => (store.get as (name: string) => unknown)('nope')).toThrow(SecretConfigError)
    await store.close()
    expect(() => store.get('db')).toThrow(/closed/)
  })

  it('rejects bad declarations at creation: unknown provider, malformed ref, unknown option', () => {
    const providers = { up: createTestingProvider() }
    expect(() => createSecrets({ providers, secrets: { a: 'aws://x' } })).toThrow(
      /unregistered provider "aws"/,
    )
    expect(() => createSecrets({ providers, secrets: { a: 'not a ref' } })).toThrow(
      /Malformed secret reference/,
    )
    expect(() => createSecrets({ providers, secrets: { a: { from: 'up://x', ttl: 5 } as never } })).toThrow(
      /unknown option "ttl"/,
    )
    expect(() => createSecrets({ providers, secrets: { a: 'up://x?version=1&stage=AWSCURRENT' } })).toThrow(
      /both version and stage/,
    )
  })

  it('binary secrets come back as bytes when declared binary', async () => {
    const bytes = new Uint8Array([0, 159, 146, 150])
    const upstream = createTestingProvider({ secrets: { cert: { value: bytes } } })
    const store = createSecrets({
      providers: { up: upstream },
      secrets: { cert: { from: 'up://cert', binary: true } },
    })
    await store.load()
    expect(store.get('cert')).toEqual(bytes)
    expect(await store.resolve('up://cert', { binary: true })).toEqual(bytes)
    await store.close()
  })
})

describe('refresh() of a fallback chain', () => {
  it('keeps the last good value of the source in use when it becomes unavailable', async () => {
    const cloud = createTestingProvider({ secrets: { db: 'from-cloud' } })
    const local = createTestingProvider({ secrets: { DB: 'from-local' } })
    const store = createSecrets({
      providers: { cloud, local },
      secrets: { db: ['cloud://db', 'local://DB'] },
      retry: { attempts: 1 },
    })
    await store.load()
    cloud.fail('5xx')
    await expect(store.refresh('db')).rejects.toThrow(/503/)
    expect(store.get('db')).toBe('from-cloud')
    expect(store.status()[0]?.source).toBe('cloud://db')
    expect(local.calls.total).toBe(0)
    await store.close()
  })

  it('moves to the next source when the one in use reports the secret gone', async () => {
    const cloud = createTestingProvider({ secrets: { db: 'from-cloud' } })
    const local = createTestingProvider({ secrets: { DB: 'from-local' } })
    const store = createSecrets({
      providers: { cloud, local },
      secrets: { db: ['cloud://db', 'local://DB'] },
    })
    await store.load()
    cloud.delete('db')
    await store.refresh('db')
    expect(store.get('db')).toBe('from-local')
    await store.close()
  })
})
