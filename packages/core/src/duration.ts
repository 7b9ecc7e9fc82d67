import { SecretConfigError } from './errors.js'

/** Milliseconds, or a string such as `'100ms'`, `'30s'`, `'5m'`, `'1h'`, `'1d'`. `Infinity` means never. */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const
const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/

/** Parses a {@link Duration} into milliseconds; `what` names the option in the error. */
export function toMilliseconds(duration: Duration, what: string): number {
  if (typeof duration === 'number') {
    if (duration >= 0) return duration
  } else {
    const match = DURATION_PATTERN.exec(duration.trim())
    if (match) return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]
  }
  throw new SecretConfigError(`Invalid duration for ${what}: ${JSON.stringify(duration)}`, {
    hint: "use milliseconds (300000) or a string such as '100ms', '30s', '5m', '1h'",
  })
}
