import { REDACTED_PLACEHOLDER } from './redacted.js'

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
