import { inspect } from 'node:util'

const REDACTED = '[redacted]'

/**
 * Holds a secret so that logging, string interpolation, `JSON.stringify` and
 * `util.inspect` print `[redacted]`. Call `.reveal()` where the value is really needed.
 *
 * @example
 * const key = new Redacted(secrets.get('stripeKey'))
 * logger.info({ key })        // { key: '[redacted]' }
 * stripe(key.reveal())
 */
export class Redacted<T = string> {
  readonly #value: T
  constructor(value: T) {
    this.#value = value
  }
  /** The wrapped value. */
  reveal(): T {
    return this.#value
  }
  toString(): string {
    return REDACTED
  }
  toJSON(): string {
    return REDACTED
  }
  [Symbol.toPrimitive](): string {
    return REDACTED
  }
  [inspect.custom](): string {
    return REDACTED
  }
}

/** The placeholder secretkit prints instead of a value. */
export const REDACTED_PLACEHOLDER = REDACTED
