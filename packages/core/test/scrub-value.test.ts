import { inspect } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { createSecrets, Redacted, Scrubber, SecretNotFoundError, type SecretStore } from '../src/index.js'
import { createTestingProvider } from '../src/testing/index.js'
import { CANARY } from './support/fixtures.js'

/** Everything a value could leak through, rendered as text. */
function render(value: unknown): string {
  const parts = [inspect(value, { depth: 30, showHidden: true })]
  try {
    parts.push(JSON.stringify(value))
  } catch {
    // circular: inspect covered it
  }
  return parts.join('\n')
}

const PIN = '424242'

describe('deep scrubbing', () => {
  let store: SecretStore<any>
  afterEach(() => store?.close())

  async function loaded(): Promise<SecretStore<any>> {
    const upstream = createTestingProvider({ secrets: { db: CANARY, pin: PIN } })
    store = createSecrets({ providers: { up: upstream }, secrets: { db: 'up://db', pin: 'up://pin' } })
    await store.load()
    return store
  }

  describe('scrubValue', () => {
    it('scrubs strings, keys and numbers inside nested objects, arrays, Maps and Sets', async () => {
      const secrets = await loaded()
      const value = {
        level: 'error',
        fields: {
          url: `https://u:${encodeURIComponent(CANARY)}@db`,
          list: [1, [`a ${CANARY}`], { deep: CANARY }],
        },
        [`key-${CANARY}`]: true,
        pin: 424242,
        big: 4242420000n,
        map: new Map<unknown, unknown>([
          ['password', CANARY],
          [CANARY, { nested: [CANARY] }],
        ]),
        set: new Set([CANARY, 'plain']),
      }
      const copy = secrets.scrubValue(value)
      expect(render(copy)).not.toContain(CANARY)
      expect(render(copy)).not.toContain(PIN)
      expect(copy.fields.list).toEqual([1, ['a [redacted]'], { deep: '[redacted]' }])
      expect(copy.fields.url).toBe('https://u:[redacted]@db')
      expect(Object.keys(copy)).toContain('key-[redacted]')
      expect(copy.pin).toBe('[redacted]')
      expect(copy.big).toBe('[redacted]0000')
      expect(copy.map.get('password')).toBe('[redacted]')
      expect(copy.map.get('[redacted]')).toEqual({ nested: ['[redacted]'] })
      expect([...copy.set]).toEqual(['[redacted]', 'plain'])
      // The original is left alone.
      expect(value.fields.list[2]).toEqual({ deep: CANARY })
      expect(value.map.get('password')).toBe(CANARY)
    })

    it('copies errors with their prototype, name, message, stack, own fields and cause chain', async () => {
      const secrets = await loaded()
      class UpstreamError extends Error {
        override name = 'UpstreamError'
        constructor(
          message: string,
          readonly request: { headers: Record<string, string> },
          options?: ErrorOptions,
        ) {
          super(message, options)
        }
      }
      const root = new TypeError(`root cause mentions ${CANARY}`)
      const middle = Object.assign(
        new Error(`middle ${Buffer.from(CANARY).toString('base64')}`, { cause: root }),
        {
          code: 'E_MIDDLE',
          attempts: [{ token: CANARY }],
        },
      )
      const error = new UpstreamError(
        `call with ${CANARY} failed`,
        { headers: { authorization: `Bearer ${CANARY}` } },
        { cause: middle },
      )
      const copy = secrets.scrubValue(error)

      expect(render(copy)).not.toContain(CANARY)
      expect(copy).not.toBe(error)
      expect(copy).toBeInstanceOf(UpstreamError)
      expect(copy.name).toBe('UpstreamError')
      expect(copy.message).toBe('call with [redacted] failed')
      expect(copy.stack).toContain('UpstreamError: call with [redacted] failed')
      expect(copy.request.headers.authorization).toBe('Bearer [redacted]')
      expect(Object.keys(copy)).toEqual(Object.keys(error)) // message and stack stay non-enumerable
      const copiedMiddle = copy.cause as typeof middle
      expect(copiedMiddle.message).toBe('middle [redacted]')
      expect(copiedMiddle.code).toBe('E_MIDDLE')
      expect(copiedMiddle.attempts).toEqual([{ token: '[redacted]' }])
      expect(copiedMiddle.cause).toBeInstanceOf(TypeError)
      expect((copiedMiddle.cause as Error).message).toBe('root cause mentions [redacted]')
      // The thrown error is untouched: only the copy is scrubbed.
      expect(error.message).toContain(CANARY)
      expect((error.cause as Error).message).toContain(Buffer.from(CANARY).toString('base64'))
    })

    it('scrubs AggregateError members and secretkit errors', async () => {
      const secrets = await loaded()
      const aggregate = new AggregateError([new Error(CANARY), 'text ' + CANARY], `many ${CANARY}`)
      const copy = secrets.scrubValue(aggregate)
      expect(copy).toBeInstanceOf(AggregateError)
      expect(render(copy)).not.toContain(CANARY)
      expect(copy.errors).toHaveLength(2)
      const typed = secrets.scrubValue(new SecretNotFoundError(`no ${CANARY}`, { provider: 'up' }))
      expect(typed).toBeInstanceOf(SecretNotFoundError)
      expect(typed.code).toBe('SECRET_NOT_FOUND')
      expect(typed.message).toBe('no [redacted]')
    })

    it('keeps cycles and shared references, scrubbed', async () => {
      const secrets = await loaded()
      const shared = { token: CANARY }
      const value: Record<string, unknown> = { a: shared, b: shared, note: `with ${CANARY}` }
      value.self = value
      const error = new Error(`loop ${CANARY}`) as Error & { again?: unknown }
      error.cause = error
      error.again = value
      const copy = secrets.scrubValue({ value, error })
      expect(render(copy)).not.toContain(CANARY)
      expect(copy.value.self).toBe(copy.value)
      expect(copy.value.a).toBe(copy.value.b)
      expect(copy.error.cause).toBe(copy.error)
      expect(copy.error.again).toBe(copy.value)
    })

    it('takes objects with toJSON and class instances through their JSON form', async () => {
      const secrets = await loaded()
      class Connection {
        readonly url = `postgres://app:${CANARY}@db`
        #password = CANARY
        get password(): string {
          return this.#password
        }
      }
      const when = new Date(0)
      const copy = secrets.scrubValue({
        when,
        wrapped: new Redacted(CANARY),
        json: { toJSON: () => ({ secret: CANARY }) },
        connection: new Connection(),
        broken: {
          toJSON() {
            throw new Error(CANARY)
          },
        },
      })
      expect(render(copy)).not.toContain(CANARY)
      expect(copy.when).toBe(when.toJSON())
      expect(copy.wrapped).toBe('[redacted]')
      expect(copy.json).toEqual({ secret: '[redacted]' })
      expect(copy.connection).toEqual({ url: 'postgres://app:[redacted]@db' })
      expect(copy.broken).toBeUndefined()
    })

    it('stops at a bounded depth, dropping what lies deeper', async () => {
      const secrets = await loaded()
      let error = new Error(`deepest ${CANARY}`)
      for (let level = 0; level < 100; level++)
        error = new Error(`level ${level} ${CANARY}`, { cause: error })
      let nested: unknown = CANARY
      for (let level = 0; level < 100; level++) nested = { nested }
      const copy = secrets.scrubValue({ error, nested })
      expect(render(copy)).not.toContain(CANARY)
      expect((copy.error as Error).message).toBe('level 99 [redacted]')
    })

    it('passes non-objects through and returns the value itself while nothing is loaded', async () => {
      const empty = createSecrets({ providers: { up: createTestingProvider({ secrets: {} }) } })
      const value = { note: CANARY }
      expect(empty.scrubValue(value)).toBe(value)
      await empty.close()
      const secrets = await loaded()
      const fn = () => CANARY
      expect(secrets.scrubValue(fn)).toBe(fn)
      expect(secrets.scrubValue(undefined)).toBeUndefined()
      expect(secrets.scrubValue(null)).toBeNull()
      expect(secrets.scrubValue(12)).toBe(12)
      expect(secrets.scrubValue(`x${CANARY}`)).toBe('x[redacted]')
    })

    it('works on a bare Scrubber', () => {
      const scrubber = new Scrubber()
      const value = { list: [CANARY] }
      expect(scrubber.scrubValue(value)).toBe(value)
      scrubber.add(CANARY)
      expect(scrubber.scrubValue(value)).toEqual({ list: ['[redacted]'] })
      expect(scrubber.scrubJson(value)).toBe('{"list":["[redacted]"]}')
    })
  })

  describe('scrubJson', () => {
    it('serialises with every string scrubbed, keys included, in every encoding', async () => {
      const secrets = await loaded()
      const body = {
        error: {
          message: `bad ${CANARY}`,
          details: [{ [CANARY]: encodeURIComponent(CANARY) }, JSON.stringify({ CANARY })],
        },
      }
      const text = secrets.scrubJson(body)
      expect(text).toBeDefined()
      expect(text).not.toContain(CANARY)
      expect(JSON.parse(text!)).toEqual({
        error: {
          message: 'bad [redacted]',
          details: [{ '[redacted]': '[redacted]' }, '{"CANARY":"[redacted]"}'],
        },
      })
    })

    it('answers undefined rather than invalid JSON when a secret is a number', async () => {
      const secrets = await loaded()
      expect(secrets.scrubJson({ pin: 424242, ok: 'yes' })).toBeUndefined()
      expect(secrets.scrubJson({ pin: 4242421 })).toBeUndefined()
      expect(secrets.scrubJson({ pin: `${PIN}` })).toBe('{"pin":"[redacted]"}')
      expect(secrets.scrubJson(undefined)).toBeUndefined()
      expect(secrets.scrubJson(() => CANARY)).toBeUndefined()
    })

    it('drops cycles and BigInts, keeps shared references, honours toJSON', async () => {
      const secrets = await loaded()
      const shared = { note: `pin ${CANARY}` }
      const details: Record<string, unknown> = {
        a: shared,
        b: shared,
        count: 10n,
        wrapped: new Redacted(CANARY),
      }
      details.self = details
      const text = secrets.scrubJson({ details, error: new Error(CANARY) })
      expect(text).not.toContain(CANARY)
      expect(JSON.parse(text!)).toEqual({
        details: { a: { note: 'pin [redacted]' }, b: { note: 'pin [redacted]' }, wrapped: '[redacted]' },
        error: {},
      })
    })
  })

  describe('scrubErrorInPlace', () => {
    it('scrubs the error object itself, its own fields and its cause chain', async () => {
      const secrets = await loaded()
      const cause = Object.assign(new Error(`cause ${CANARY}`), { detail: { key: CANARY } })
      const error = Object.assign(new Error(`outer ${CANARY}`, { cause }), {
        header: `Bearer ${CANARY}`,
        pin: 424242,
        list: [CANARY],
      })
      secrets.scrubErrorInPlace(error)
      expect(render(error)).not.toContain(CANARY)
      expect(render(error)).not.toContain(PIN)
      expect(error.message).toBe('outer [redacted]')
      expect(error.stack).toContain('Error: outer [redacted]')
      expect(error.header).toBe('Bearer [redacted]')
      expect(error.list).toEqual(['[redacted]'])
      expect(error.cause).toBe(cause) // scrubbed where it is, not replaced
      expect(cause.message).toBe('cause [redacted]')
      expect(cause.detail).toEqual({ key: '[redacted]' })
    })

    it('scrubs a non-error cause, survives frozen errors, cycles and non-errors', async () => {
      const secrets = await loaded()
      const error = new Error('outer', { cause: { token: CANARY } })
      secrets.scrubErrorInPlace(error)
      expect(error.cause).toEqual({ token: '[redacted]' })
      const frozen = Object.freeze(new Error(`frozen ${CANARY}`))
      expect(() => secrets.scrubErrorInPlace(frozen)).not.toThrow()
      const loop = new Error(`loop ${CANARY}`)
      loop.cause = loop
      secrets.scrubErrorInPlace(loop)
      expect(loop.message).toBe('loop [redacted]')
      expect(() => secrets.scrubErrorInPlace(CANARY)).not.toThrow()
      expect(() => secrets.scrubErrorInPlace(undefined)).not.toThrow()
    })
  })
})
