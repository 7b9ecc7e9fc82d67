/** Replaces known secret values in one string (a {@link Scrubber}'s `scrub`). */
export type ScrubText = (text: string) => string

/**
 * How deep scrubbing walks nested objects and `cause` chains: deep enough for real errors and
 * log fields, bounded for pathological input. Whatever lies deeper is dropped, never passed on.
 */
const MAX_DEPTH = 16

/**
 * A copy of `value` with every secret value replaced: strings; numbers whose digits hold one
 * (they become the scrubbed string); arrays, plain objects, `Map`s and `Set`s element by
 * element, keys included; errors keeping their prototype (so `instanceof` holds), `name`,
 * `message`, `stack`, own properties and the `cause` chain; anything with `toJSON` through it;
 * other objects through their JSON form (own enumerable properties). Cycles and shared
 * references are kept as they are in the original.
 */
export function scrubValue<T>(value: T, scrub: ScrubText): T {
  return copyScrubbed(value, scrub, 0, new Map()) as T
}

/**
 * `JSON.stringify(value)` with every secret value replaced, or `undefined` when that cannot
 * be done and stay valid JSON (a secret in a number: `{"pin":424242}`), or when there is nothing
 * to serialise. Strings are scrubbed where they sit, then the text once more (which also covers
 * keys); cycles and `BigInt`s, which JSON cannot hold, are left out.
 */
export function scrubJson(value: unknown, scrub: ScrubText): string | undefined {
  let text: string | undefined
  try {
    text = JSON.stringify(jsonScrubbed(value, scrub, 0, new Set()))
  } catch {
    return undefined
  }
  if (text === undefined) return undefined
  const scrubbed = scrub(text)
  if (scrubbed === text) return text
  try {
    JSON.parse(scrubbed)
    return scrubbed
  } catch {
    return undefined
  }
}

/**
 * Scrubs an error where it is, for frameworks that keep the error object they were given:
 * `message`, `stack` and every own property (nested objects are replaced by scrubbed copies),
 * then the same down the `cause` chain. A frozen or read-only property keeps its text.
 */
export function scrubErrorInPlace(error: unknown, scrub: ScrubText): void {
  let current: unknown = error
  for (let depth = 0; depth < MAX_DEPTH && current instanceof Error; depth++) {
    const fields = current as unknown as Record<string, unknown>
    for (const key of Object.getOwnPropertyNames(current)) {
      if (key === 'cause' && current.cause instanceof Error) continue
      const field = fields[key]
      const clean = copyScrubbed(field, scrub, depth + 1, new Map())
      if (clean === field) continue
      try {
        fields[key] = clean
      } catch {
        // Frozen: the caller's other scrubbing (of the response body, of the log line) still applies.
      }
    }
    current = current.cause
  }
}

function copyScrubbed(
  value: unknown,
  scrub: ScrubText,
  depth: number,
  copies: Map<object, unknown>,
): unknown {
  if (typeof value === 'string') return scrub(value)
  if (typeof value === 'number' || typeof value === 'bigint') return scrubNumber(value, scrub)
  if (value === null || typeof value !== 'object') return value
  if (copies.has(value)) return copies.get(value)
  if (depth >= MAX_DEPTH) return undefined
  const next = depth + 1
  if (value instanceof Error) return copyError(value, scrub, next, copies)
  if (Array.isArray(value)) {
    const copy: unknown[] = []
    copies.set(value, copy)
    for (const item of value) copy.push(copyScrubbed(item, scrub, next, copies))
    return copy
  }
  if (value instanceof Map) {
    const copy = new Map<unknown, unknown>()
    copies.set(value, copy)
    for (const [key, item] of value) {
      copy.set(copyScrubbed(key, scrub, next, copies), copyScrubbed(item, scrub, next, copies))
    }
    return copy
  }
  if (value instanceof Set) {
    const copy = new Set<unknown>()
    copies.set(value, copy)
    for (const item of value) copy.add(copyScrubbed(item, scrub, next, copies))
    return copy
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON
  if (typeof toJSON === 'function') {
    // The form the object chose to be seen in (a Date's ISO string, Redacted's placeholder).
    copies.set(value, undefined)
    let form: unknown
    try {
      form = toJSON.call(value)
    } catch {
      return undefined
    }
    const copy = copyScrubbed(form, scrub, next, copies)
    copies.set(value, copy)
    return copy
  }
  const copy: Record<string, unknown> = {}
  copies.set(value, copy)
  for (const [key, item] of Object.entries(value)) copy[scrub(key)] = copyScrubbed(item, scrub, next, copies)
  return copy
}

function copyError(error: Error, scrub: ScrubText, depth: number, copies: Map<object, unknown>): Error {
  const copy = Object.create(Object.getPrototypeOf(error)) as Error
  copies.set(error, copy)
  for (const key of Object.getOwnPropertyNames(error)) {
    const field = (error as unknown as Record<string, unknown>)[key]
    Object.defineProperty(copy, key, {
      value: copyScrubbed(field, scrub, depth, copies),
      writable: true,
      configurable: true,
      enumerable: Object.prototype.propertyIsEnumerable.call(error, key),
    })
  }
  // `name` usually lives on the prototype; an own one was copied above.
  return copy
}

function scrubNumber(value: number | bigint, scrub: ScrubText): number | bigint | string {
  const text = String(value)
  const clean = scrub(text)
  return clean === text ? value : clean
}

function jsonScrubbed(value: unknown, scrub: ScrubText, depth: number, ancestors: Set<object>): unknown {
  if (typeof value === 'string') return scrub(value)
  // JSON cannot hold a BigInt: leave it out, as it leaves out functions and symbols.
  if (typeof value === 'bigint') return undefined
  if (value === null || typeof value !== 'object') return value
  if (ancestors.has(value) || depth >= MAX_DEPTH) return undefined
  const toJSON = (value as { toJSON?: unknown }).toJSON
  ancestors.add(value)
  try {
    if (typeof toJSON === 'function') return jsonScrubbed(toJSON.call(value), scrub, depth + 1, ancestors)
    if (Array.isArray(value)) return value.map((item) => jsonScrubbed(item, scrub, depth + 1, ancestors))
    const copy: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value))
      copy[key] = jsonScrubbed(item, scrub, depth + 1, ancestors)
    return copy
  } finally {
    ancestors.delete(value)
  }
}
