const REDACTED = '[redacted]'

/**
 * `util.inspect.custom`, which Node registers under this name. Looked up rather than imported:
 * importing node:util from an ES module costs every process that loads secretkit (the preload
 * hook included) a few milliseconds of start-up.
 */
export const INSPECT_CUSTOM: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never

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
  [INSPECT_CUSTOM](): string {
    return REDACTED
  }
}

/** The placeholder secretkit prints instead of a value. */
export const REDACTED_PLACEHOLDER = REDACTED
