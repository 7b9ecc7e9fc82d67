import { REDACTED_PLACEHOLDER } from './redacted.js'
import { scrubErrorInPlace, scrubJson, scrubValue } from './scrub-value.js'

/** Values shorter than this are not scrubbed: replacing every `ab` in a log line helps nobody. */
const MIN_SCRUB_LENGTH = 4

/**
 * Replaces known secret values in text. Each value is matched as written and in the
 * encodings it commonly leaks in: JSON-escaped, URL-encoded and base64.
 */
export class Scrubber {
  readonly #values = new Set<string>()
  #pattern: RegExp | undefined
  #dirty = false
  readonly #scrub = (text: string): string => this.scrub(text)

  /** Registers a value (and its encodings) to be scrubbed from now on. */
  add(value: string | Uint8Array): void {
    const text = typeof value === 'string' ? value : Buffer.from(value).toString('utf8')
    if (text.length < MIN_SCRUB_LENGTH) return
    for (const variant of encodingsOf(text)) {
      if (variant.length >= MIN_SCRUB_LENGTH && !this.#values.has(variant)) {
        this.#values.add(variant)
        this.#dirty = true
      }
    }
  }

  get size(): number {
    return this.#values.size
  }

  /** `text` with every registered value replaced by `[redacted]`. */
  scrub(text: string): string {
    if (this.#values.size === 0) return text
    if (this.#dirty || this.#pattern === undefined) {
      // Longest first so a value containing another is replaced whole.
      const alternatives = [...this.#values].sort((a, b) => b.length - a.length).map(escapeRegExp)
      this.#pattern = new RegExp(alternatives.join('|'), 'g')
      this.#dirty = false
    }
    return text.replace(this.#pattern, REDACTED_PLACEHOLDER)
  }

  /**
   * A copy of `value` with every registered value replaced, however deeply it sits: strings,
   * numbers, arrays, plain objects, `Map`s, `Set`s, and errors (prototype, message, stack, own
   * properties and `cause` chain kept); other objects through their JSON form. Returns `value`
   * itself while nothing is registered.
   *
   * @example
   * logger.error(scrubber.scrubValue(error))
   */
  scrubValue<T>(value: T): T {
    return this.#values.size === 0 ? value : scrubValue(value, this.#scrub)
  }

  /**
   * `JSON.stringify(value)` with every registered value replaced, or `undefined` when the result
   * would not be valid JSON (a secret inside a number) or there is nothing to serialise.
   *
   * @example
   * res.type('json').send(scrubber.scrubJson(body) ?? '{"error":"Internal Server Error"}')
   */
  scrubJson(value: unknown): string | undefined {
    return scrubJson(value, this.#scrub)
  }

  /**
   * Scrubs an error where it is (message, stack, own properties, down the `cause` chain), for
   * frameworks whose error handler and logger keep the object they were given.
   */
  scrubErrorInPlace(error: unknown): void {
    if (this.#values.size > 0) scrubErrorInPlace(error, this.#scrub)
  }
}

function encodingsOf(text: string): string[] {
  const variants = [text, JSON.stringify(text).slice(1, -1), encodeURIComponent(text)]
  const base64 = Buffer.from(text, 'utf8').toString('base64')
  // Base64 of a longer string may be followed by more characters; strip padding so it still matches.
  variants.push(base64.replace(/=+$/, ''))
  return variants
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
