import type { SecretStore } from '@secretkit/core'

/** How far down a `cause` chain scrubbing goes: deep enough for real chains, bounded for cycles. */
const MAX_CAUSE_DEPTH = 8

/**
 * Scrubs an error in place: message, stack and every own enumerable string property (what
 * pino's error serializer prints), down the `cause` chain. In place, because Fastify's error
 * handler and logger keep the error object they were given.
 */
export function scrubError(store: Pick<SecretStore<any>, 'scrub'>, error: unknown): void {
  let current: unknown = error
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; depth++) {
    scrubProperty(store, current, 'message')
    scrubProperty(store, current, 'stack')
    for (const key of Object.keys(current)) scrubProperty(store, current, key)
    current = current.cause
  }
}

function scrubProperty(store: Pick<SecretStore<any>, 'scrub'>, error: Error, key: string): void {
  const text = (error as unknown as Record<string, unknown>)[key]
  if (typeof text !== 'string') return
  const clean = store.scrub(text)
  if (clean === text) return
  try {
    ;(error as unknown as Record<string, unknown>)[key] = clean
  } catch {
    // A frozen error keeps its text; the response body is still scrubbed in onSend.
  }
}

/** An error response body with secret values replaced. Streams pass through untouched. */
export function scrubPayload(store: Pick<SecretStore<any>, 'scrub'>, payload: unknown): unknown {
  if (typeof payload === 'string') return store.scrub(payload)
  if (Buffer.isBuffer(payload)) {
    const text = payload.toString('utf8')
    const clean = store.scrub(text)
    return clean === text ? payload : clean
  }
  return payload
}
