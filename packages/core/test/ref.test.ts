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

describe('reference grammar', () => {
  // The grammar as a regular expression: <scheme>://<path>[?<query>][#<field on one line>].
  // The parser is hand-written (no pattern to compile at start-up); this is its oracle.
  const GRAMMAR = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/
  const fromGrammar = (text: string) => {
    const match = GRAMMAR.exec(text)
    return match === null
      ? undefined
      : { provider: match[1], path: match[2], query: match[3], field: match[4] }
  }
  const corpus = [
    'aws://prod/db#password',
    'a://b',
    'a1+.-z://p',
    '1a://p',
    '+a://p',
    'a_b://p',
    'a:b://p',
    '://p',
    'a:/p',
    'a://',
    'a://?',
    'a://#',
    'a://p?#',
    'a://p#f?x=1',
    'a://p?x=1#f#g',
    'a://p?version=1?stage=2',
    'a://p#line\nbreak',
    'a://p#line\rbreak',
    'a://p#sep\u2028',
    'a://p\nq#f',
    'a://p?q\n#f',
    'A://B://C',
    ' a://p',
    'é://p',
    'ssm:///abs/path',
  ]

  it('splits references as the grammar does, on hand-picked and random text', () => {
    const alphabet = [
      'a',
      'Z',
      '0',
      '+',
      '.',
      '-',
      '_',
      ':',
      '/',
      '?',
      '#',
      '=',
      '\n',
      '\u2028',
      '%',
      'é',
      ' ',
    ]
    let seed = 7
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed / 2147483648
    }
    const generated = Array.from({ length: 3000 }, () => {
      const length = Math.floor(random() * 12)
      const text = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('')
      // Half of them get a separator, so that most reach the path/query/field split.
      return random() < 0.5 ? text : text.replace(/^(.{0,3})/, '$1://')
    })
    for (const text of [...corpus, ...generated]) {
      const expected = fromGrammar(text)
      expect(isSecretRef(text, [expected?.provider ?? 'a']), text).toBe(expected !== undefined)
      if (expected === undefined) {
        expect(() => parseRef(text), text).toThrow(SecretConfigError)
        continue
      }
      let parsed: ReturnType<typeof parseRef> | undefined
      try {
        parsed = parseRef(text)
      } catch (error) {
        // Only what parseRef checks beyond the grammar: an empty path, an unknown or doubled
        // option, or a percent sign that does not decode.
        expect(error, text).toBeInstanceOf(error instanceof URIError ? URIError : SecretConfigError)
        continue
      }
      expect(parsed.provider, text).toBe(expected.provider)
      expect(parsed.path, text).toBe(decodeURIComponent(expected.path ?? ''))
      expect(parsed.field, text).toBe(expected.field ? decodeURIComponent(expected.field) : undefined)
    }
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
