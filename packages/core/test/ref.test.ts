import { describe, expect, it } from 'vitest'
import { formatRef, isSecretRef, parseRef, SecretConfigError, toMilliseconds } from '../src/index.js'

describe('references', () => {
  it('parses provider, path, version, stage and field', () => {
    expect(parseRef('aws://prod/db#password')).toEqual({
      provider: 'aws',
      path: 'prod/db',
      field: 'password',
      raw: 'aws://prod/db#password',
    })
    expect(parseRef('aws://prod/db?stage=AWSPREVIOUS')).toMatchObject({ stage: 'AWSPREVIOUS' })
    expect(parseRef('vault://kv/app?version=3#token')).toMatchObject({ version: '3', field: 'token' })
    expect(parseRef('ssm:///prod/db/password')).toMatchObject({ path: '/prod/db/password' })
  })

  it('round-trips through formatRef', () => {
    for (const text of [
      'aws://a/b',
      'aws://a?version=v1',
      'gcp://s?stage=x#f',
      'file://db.env#DB_PASSWORD',
    ]) {
      expect(formatRef(parseRef(text))).toBe(text)
    }
  })

  it('rejects malformed references with a hint', () => {
    expect(() => parseRef('no-scheme')).toThrow(SecretConfigError)
    expect(() => parseRef('aws://')).toThrow(/empty path/)
    expect(() => parseRef('aws://x?foo=1')).toThrow(/Unknown option "foo"/)
  })

  it('only treats registered provider names as references', () => {
    expect(isSecretRef('aws://prod/db', ['aws', 'env'])).toBe(true)
    expect(isSecretRef('https://example.com/path', ['aws', 'env'])).toBe(false)
    expect(isSecretRef('plain value', ['aws'])).toBe(false)
  })
})

describe('durations', () => {
  it('accepts milliseconds and unit strings', () => {
    expect(toMilliseconds(300_000, 'ttl')).toBe(300_000)
    expect(toMilliseconds('5m', 'ttl')).toBe(300_000)
    expect(toMilliseconds('100ms', 'ttl')).toBe(100)
    expect(toMilliseconds('1h', 'ttl')).toBe(3_600_000)
    expect(toMilliseconds(Number.POSITIVE_INFINITY, 'ttl')).toBe(Number.POSITIVE_INFINITY)
    expect(() => toMilliseconds('5 minutes' as never, 'cache.ttl')).toThrow(/Invalid duration for cache.ttl/)
    expect(() => toMilliseconds(-1, 'cache.ttl')).toThrow(SecretConfigError)
  })
})
