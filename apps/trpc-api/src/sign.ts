import { createHmac, timingSafeEqual } from 'node:crypto'

/** `sha256=<hex>` HMAC of the payload: what a webhook receiver checks. Derived from the key, never the key. */
export function signPayload(key: string, payload: string): string {
  return `sha256=${createHmac('sha256', key).update(payload).digest('hex')}`
}

/** The `payload` string of a JSON body, or `undefined` when the body has none. */
export function payloadOf(body: unknown): string | undefined {
  const payload = (body as { payload?: unknown } | null | undefined)?.payload
  return typeof payload === 'string' ? payload : undefined
}

/** Constant-time comparison of a presented bearer token with the expected one. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false
  const a = Buffer.from(presented)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
