import { inspect } from 'node:util'
import { REDACTED_PLACEHOLDER, Redacted, type SecretStore } from '@secretkit/core'

/**
 * A live handle on one declared secret. `.value` reads the store on every access, so a
 * rotated secret is picked up without a restart; the handle itself prints `[redacted]`
 * under `JSON.stringify`, string interpolation and `util.inspect`.
 *
 * @example
 * constructor(@InjectSecret('webhookKey') private readonly key: SecretRef) {}
 * sign(body: string) { return createHmac('sha256', this.key.value).update(body).digest('hex') }
 */
export class SecretRef<T = string> {
  readonly #store: SecretStore
  /** The declared secret's name. */
  readonly name: string

  constructor(store: SecretStore, name: string) {
    this.#store = store
    this.name = name
  }

  /** The current value, read from the store's memory (never blocks, never fetches inline). */
  get value(): T {
    return this.#store.get(this.name) as T
  }

  /** The current value wrapped so it prints `[redacted]`; `.reveal()` returns it. */
  redacted(): Redacted<T> {
    return new Redacted(this.value)
  }

  toJSON(): string {
    return REDACTED_PLACEHOLDER
  }

  toString(): string {
    return REDACTED_PLACEHOLDER
  }

  [Symbol.toPrimitive](): string {
    return REDACTED_PLACEHOLDER
  }

  [inspect.custom](): string {
    return `SecretRef(${this.name}) ${REDACTED_PLACEHOLDER}`
  }
}
