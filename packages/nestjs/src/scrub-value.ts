import { inspect } from 'node:util'

/** Scrubs known secret values out of text (a store's `scrub`). */
export type ScrubText = (text: string) => string

const MAX_DEPTH = 8

/**
 * A copy of `value` with every known secret value replaced by `[redacted]`: strings directly,
 * errors field by field (message, stack, cause, own properties) keeping their prototype so
 * `instanceof` still holds, anything else through JSON (or `util.inspect` when JSON fails).
 */
export function scrubValue<T>(scrub: ScrubText, value: T, depth = 0): T {
  if (typeof value === 'string') return scrub(value) as T
  if (value === null || typeof value !== 'object') return value
  if (value instanceof Error) return scrubError(scrub, value, depth) as T
  try {
    const json = JSON.stringify(value)
    return (json === undefined ? value : JSON.parse(scrub(json))) as T
  } catch {
    return scrub(inspect(value, { depth: 4 })) as T
  }
}

function scrubError(scrub: ScrubText, error: Error, depth: number): Error {
  const copy = Object.create(Object.getPrototypeOf(error)) as Error
  for (const key of Object.getOwnPropertyNames(error)) {
    if (key === 'message' || key === 'stack' || key === 'cause') continue
    const value = (error as unknown as Record<string, unknown>)[key]
    Object.defineProperty(copy, key, {
      value: depth >= MAX_DEPTH ? undefined : scrubValue(scrub, value, depth + 1),
      writable: true,
      configurable: true,
      enumerable: Object.prototype.propertyIsEnumerable.call(error, key),
    })
  }
  for (const key of ['message', 'stack'] as const) {
    if (typeof error[key] === 'string') {
      Object.defineProperty(copy, key, { value: scrub(error[key]), writable: true, configurable: true })
    }
  }
  if (error.cause !== undefined) {
    const cause = depth >= MAX_DEPTH ? undefined : scrubValue(scrub, error.cause, depth + 1)
    Object.defineProperty(copy, 'cause', { value: cause, writable: true, configurable: true })
  }
  return copy
}
