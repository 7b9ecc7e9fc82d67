/**
 * Where `secret` shows up — as written, URL-encoded or base64 — among named texts (responses,
 * stdout, stderr, logs; other values are skipped): `["stdout (as written)"]`, or `[]` when nowhere. The answer names
 * places only, never the value, so a failing assertion prints no secret.
 *
 * @example
 * expect(leaksOf(CANARY, { body, ...app.output() })).toEqual([])
 */
export function leaksOf(secret: string, places: object): string[] {
  const forms: [string, string][] = [
    ['as written', secret],
    ['URL-encoded', encodeURIComponent(secret)],
    ['base64', Buffer.from(secret).toString('base64').replace(/=+$/, '')],
  ]
  const found: string[] = []
  for (const [place, text] of Object.entries(places)) {
    if (typeof text !== 'string') continue // e.g. the exit code of runToExit's result
    for (const [form, variant] of forms) if (text.includes(variant)) found.push(`${place} (${form})`)
  }
  return [...new Set(found)]
}

export interface PollOptions {
  /** @default 100 */
  attempts?: number
  /** @default 100 */
  intervalMs?: number
}

/**
 * Reads until `done(value)` holds or the attempts run out (bounded: `attempts × intervalMs`
 * plus the reads), and returns the last value read — for background work such as a refresh.
 *
 * @example
 * const signature = await poll(() => sign(app.url, 'hello'), (s) => s === expected)
 */
export async function poll<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  options: PollOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 100
  let value = await read()
  for (let attempt = 1; attempt < attempts && !done(value); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100))
    value = await read()
  }
  return value
}
