import { describe, expect, it } from 'vitest'
import * as first from '../src/index.js'

// A second copy of core's errors, as a bundle that inlines core (the preload hook) meets the
// errors thrown by providers loaded from the installed package. The query makes it a module
// of its own even where the built file is already loaded.
const dist = new URL('../dist/', import.meta.url)
const second = (await import(`${new URL('errors.js', dist).href}?copy`)) as typeof import('../src/errors.js')
const secondTesting = (await import(
  `${new URL('testing/index.js', dist).href}?copy`
)) as typeof import('../src/testing/index.js')

describe('errors from another copy of secretkit', () => {
  it('are a different class, yet instanceof the matching class of this copy', () => {
    expect(second.SecretNotFoundError).not.toBe(first.SecretNotFoundError)
    const notFound = new second.SecretNotFoundError('no such secret', { provider: 'up' })
    expect(notFound).toBeInstanceOf(first.SecretNotFoundError)
    expect(notFound).toBeInstanceOf(first.SecretkitError)
    expect(notFound).toBeInstanceOf(Error)
    expect(notFound).not.toBeInstanceOf(first.SecretAccessDeniedError)
    expect(notFound).not.toBeInstanceOf(first.ProviderUnavailableError)
    expect(new second.SecretsLoadError([])).toBeInstanceOf(first.SecretsLoadError)
    expect(new second.SecretConfigError('bad')).not.toBeInstanceOf(first.SecretsLoadError)
    expect(first.isSecretkitError(new second.SecretValidationError('bad'))).toBe(true)
  })

  it('fall through (or not) as this copy decides', () => {
    expect(first.isFallThrough(new second.SecretNotFoundError('gone'))).toBe(true)
    expect(first.isFallThrough(new second.ProviderUnavailableError('down'))).toBe(true)
    expect(first.isFallThrough(new second.SecretAccessDeniedError('denied'))).toBe(false)
    expect(first.isFallThrough(new second.SecretConfigError('bad'))).toBe(false)
  })

  it('keep their detail through another copy’s withSecretContext', () => {
    const error = second.withSecretContext(new second.SecretNotFoundError('no file at db.env'), {
      secretName: 'db',
      ref: 'file://db.env',
    })
    expect(error).toBeInstanceOf(first.SecretNotFoundError)
    expect(error.message).toBe('Secret "db" (file://db.env): no file at db.env')
    expect(first.errorDetail(error)).toBe('no file at db.env')
  })

  it('leave plain objects and subclasses written by users alone', () => {
    class AppError extends first.SecretNotFoundError {}
    expect(new second.SecretNotFoundError('gone')).not.toBeInstanceOf(AppError)
    expect(new AppError('gone')).toBeInstanceOf(AppError)
    expect(new AppError('gone')).toBeInstanceOf(first.SecretNotFoundError)
    expect({ code: 'SECRET_NOT_FOUND', message: 'gone' }).not.toBeInstanceOf(first.SecretkitError)
    expect(new Error('gone')).not.toBeInstanceOf(first.SecretNotFoundError)
    expect(null).not.toBeInstanceOf(first.SecretkitError)
  })

  it('let a store of this copy fall back, retry and type its failures', async () => {
    const missing = secondTesting.createTestingProvider({ name: 'missing' })
    const backup = secondTesting.createTestingProvider({ secrets: { db: 'from-backup' } })
    const flaky = secondTesting.createTestingProvider({ secrets: { api: 'from-flaky' } })
    flaky.fail('5xx', { times: 1 })
    const denied = secondTesting.createTestingProvider({ secrets: { key: 'x' } })
    denied.fail('denied')
    const store = first.createSecrets({
      providers: { missing, backup, flaky, denied },
      secrets: { db: ['missing://db', 'backup://db'], api: 'flaky://api' },
      retry: { baseDelay: 1, maxDelay: 1 },
    })
    await store.load()
    expect(store.get('db')).toBe('from-backup')
    expect(store.get('api')).toBe('from-flaky')
    expect(flaky.calls.get).toBe(2)
    const failure = await store.resolve('denied://key').catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(first.SecretAccessDeniedError)
    expect(first.isFallThrough(failure)).toBe(false)
    await store.close()
  })
})
